package io.bullpen;

/**
 * What to keep of finished jobs ({@code removeOnComplete} / {@code removeOnFail}). Mirrors BullMQ's forms:
 * {@code false} keeps all, {@code true} keeps none, a number keeps the newest N, an object removes by age
 * (seconds) and optionally by count.
 *
 * @param count newest jobs to keep; -1 keeps all, 0 keeps none
 * @param ageSeconds remove jobs finished more than this many seconds ago; -1 when not set
 * @param limit the most jobs removed by age per finishing call; -1 when not set (BullMQ's default 1000)
 */
public record KeepJobs(long count, long ageSeconds, long limit) {
  private static final KeepJobs ALL = new KeepJobs(-1, -1, -1);
  private static final KeepJobs NONE = new KeepJobs(0, -1, -1);

  public KeepJobs {
    if (count < -1) {
      throw new InvalidOptionException("keepJobs.count", count, "must be >= 0 (or -1 for all)");
    }
    if (ageSeconds < -1) {
      throw new InvalidOptionException("keepJobs.age", ageSeconds, "must be >= 0 seconds");
    }
    if (limit < -1 || limit == 0) {
      throw new InvalidOptionException("keepJobs.limit", limit, "must be > 0");
    }
  }

  /** Keep every finished job ({@code false} in BullMQ). */
  public static KeepJobs all() {
    return ALL;
  }

  /** Remove the job as soon as it finishes ({@code true} in BullMQ). */
  public static KeepJobs none() {
    return NONE;
  }

  /** Keep the newest {@code count} finished jobs. */
  public static KeepJobs newest(long count) {
    if (count < 0) {
      throw new InvalidOptionException("keepJobs.count", count, "must be >= 0");
    }
    return new KeepJobs(count, -1, -1);
  }

  /** Remove jobs older than {@code ageSeconds}; keep at most {@code count} (-1: no count bound). */
  public static KeepJobs maxAge(long ageSeconds, long count) {
    if (ageSeconds < 0) {
      throw new InvalidOptionException("keepJobs.age", ageSeconds, "must be >= 0 seconds");
    }
    return new KeepJobs(count, ageSeconds, -1);
  }

  /** This policy, removing at most {@code limit} old jobs per finishing call. */
  public KeepJobs withLimit(long limit) {
    return new KeepJobs(count, ageSeconds, limit);
  }

  public boolean keepsAll() {
    return count == -1 && ageSeconds == -1;
  }

  public boolean keepsNone() {
    return count == 0;
  }
}
