package io.bullpen.scheduler.internal;

/**
 * BullMQ's slot arithmetic for {@code every} schedulers: runs are {@code every} ms apart, aligned to
 * {@code offset} within each interval. Without a user offset, the first run is now (or at the start date) and its
 * position within its interval becomes the offset for later catch-ups.
 */
public final class EverySchedule {
  private EverySchedule() {}

  /** A run time and the offset that goes with it. */
  public record Slot(long millis, long offset) {}

  /**
   * The first run of a scheduler that has none yet.
   *
   * @param offset the user's offset, 0 for none
   * @param startDate epoch ms, or null
   */
  public static Slot first(long now, long every, long offset, Long startDate) {
    long next;
    if (startDate != null) {
      next = Math.max(startDate, now);
    } else if (offset > 0) {
      next = Math.floorDiv(now, every) * every + offset;
      if (next <= now) {
        next += every;
      }
    } else {
      next = now;
    }
    return new Slot(next, offset > 0 ? offset : next - Math.floorDiv(next, every) * every);
  }

  /**
   * The run after {@code previous}: one interval later, or, when that is already past (runs were missed), the
   * next slot after now that keeps the offset.
   *
   * @param offset the stored offset, 0 for none
   */
  public static Slot after(long previous, long every, long now, long offset) {
    long next = previous + every;
    if (next < now) {
      long aligned = Math.floorDiv(now, every) * every + offset;
      next = aligned <= now ? aligned + every : aligned;
    }
    return new Slot(next, offset > 0 ? offset : next - Math.floorDiv(next, every) * every);
  }
}
