package io.bullpen;

/**
 * What to keep of finished jobs ({@code removeOnComplete} / {@code removeOnFail}), in one of BullMQ's three forms,
 * which the job's {@code opts} store as given: a boolean ({@link #all()} is {@code false}, {@link #none()} is
 * {@code true}), a number ({@link #newest}: keep the newest N), or an object {@code {count, age, limit}} (the
 * three-argument constructor, {@link #maxAge}, {@link #withLimit}). Forms that mean the same remove the same jobs:
 * {@code newest(0)}, {@code new KeepJobs(0, -1, -1)} ({@code {"count":0}}) and {@code none()} all remove the job
 * when it finishes; they differ only in what is stored, and so are not {@code equals}.
 *
 * @param count newest jobs to keep; -1 keeps all (an object without {@code count}), 0 keeps none
 * @param ageSeconds remove jobs finished more than this many seconds ago; -1 when not set
 * @param limit the most jobs removed by age per finishing call; -1 when not set (BullMQ's default 1000)
 * @param form how the policy is written in the job's {@code opts}
 */
public record KeepJobs(long count, long ageSeconds, long limit, Form form) {
  private static final KeepJobs ALL = new KeepJobs(-1, -1, -1, Form.BOOLEAN);
  private static final KeepJobs NONE = new KeepJobs(0, -1, -1, Form.BOOLEAN);

  /** How a keep policy is written in a job's {@code opts}: as BullMQ's user gave it. */
  public enum Form {
    /** {@code true} (count 0) or {@code false} (count -1). */
    BOOLEAN,
    /** A bare count, {@code 10}. */
    NUMBER,
    /** {@code {"count":…, "age":…, "limit":…}}, each only when set. */
    OBJECT
  }

  public KeepJobs {
    if (form == null) {
      throw new InvalidOptionException("keepJobs.form", null, "must be BOOLEAN, NUMBER or OBJECT");
    }
    if (count < -1) {
      throw new InvalidOptionException("keepJobs.count", count, "must be >= 0 (or -1 for all)");
    }
    if (ageSeconds < -1) {
      throw new InvalidOptionException("keepJobs.age", ageSeconds, "must be >= 0 seconds");
    }
    if (limit < -1 || limit == 0) {
      throw new InvalidOptionException("keepJobs.limit", limit, "must be > 0");
    }
    if (form != Form.OBJECT && (ageSeconds != -1 || limit != -1)) {
      throw new InvalidOptionException("keepJobs.form", form, "only the OBJECT form has an age or a limit");
    }
    if (form == Form.NUMBER && count < 0) {
      throw new InvalidOptionException("keepJobs.count", count, "a NUMBER policy must keep >= 0 jobs");
    }
    if (form == Form.BOOLEAN && count > 0) {
      throw new InvalidOptionException("keepJobs.count", count, "a BOOLEAN policy keeps all (-1) or none (0)");
    }
  }

  /**
   * The object form {@code {count, age, limit}}, written with the fields that are not -1 (so
   * {@code new KeepJobs(10, -1, -1)} is stored as {@code {"count":10}}).
   */
  public KeepJobs(long count, long ageSeconds, long limit) {
    this(count, ageSeconds, limit, Form.OBJECT);
  }

  /** Keep every finished job ({@code false} in BullMQ). */
  public static KeepJobs all() {
    return ALL;
  }

  /** Remove the job as soon as it finishes ({@code true} in BullMQ). */
  public static KeepJobs none() {
    return NONE;
  }

  /** Keep the newest {@code count} finished jobs, stored as the bare number. */
  public static KeepJobs newest(long count) {
    if (count < 0) {
      throw new InvalidOptionException("keepJobs.count", count, "must be >= 0");
    }
    return new KeepJobs(count, -1, -1, Form.NUMBER);
  }

  /** Remove jobs older than {@code ageSeconds}; keep at most {@code count} (-1: no count bound). Object form. */
  public static KeepJobs maxAge(long ageSeconds, long count) {
    if (ageSeconds < 0) {
      throw new InvalidOptionException("keepJobs.age", ageSeconds, "must be >= 0 seconds");
    }
    return new KeepJobs(count, ageSeconds, -1, Form.OBJECT);
  }

  /** This policy, removing at most {@code limit} old jobs per finishing call; always the object form. */
  public KeepJobs withLimit(long limit) {
    return new KeepJobs(count, ageSeconds, limit, Form.OBJECT);
  }

  public boolean keepsAll() {
    return count == -1 && ageSeconds == -1;
  }

  public boolean keepsNone() {
    return count == 0;
  }
}
