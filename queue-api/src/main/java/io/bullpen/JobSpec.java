package io.bullpen;



/**
 * One job for {@code Queue.addBulk}: a name, data (any Jackson-serialisable value, {@code RawJson} for JSON text,
 * null for {@code {}}) and options (null for the queue's defaults).
 */
public record JobSpec(String name, Object data, JobOptions options) {
  public static JobSpec of(String name, Object data) {
    return new JobSpec(name, data, null);
  }

  public static JobSpec of(String name, Object data, JobOptions options) {
    return new JobSpec(name, data, options);
  }
}
