package io.bullpen.scheduler;

import java.util.List;

/**
 * The queue operations a {@link QueueScheduler} drives, implemented by a storage backend (Redis, in queue-redis).
 * Each is one atomic step on the queue; the scheduler only decides when to run them. Implementations are called
 * from the scheduler's own thread and throw unchecked exceptions on failure.
 */
public interface ScheduledQueue {
  /** The queue's name, for thread names, logs and listeners. */
  String name();

  /**
   * Runs one stalled-job check: jobs whose lock expired go back to wait (or get their deferred failure past the
   * stall limit). A full check, once per {@code stalledIntervalMillis} across the schedulers of the queue, looks at
   * every active job and records them for the next one; a call in between looks only at the jobs so recorded, so
   * that a job whose lock runs out goes back then, not at the next full check.
   *
   * @return the ids moved back, and when a call may next find something to do
   */
  StalledCheck moveStalledJobsToWait(int maxStalledCount, long stalledIntervalMillis, long nowMillis);

  /** Moves the delayed jobs due at {@code nowMillis} to wait (waking idle workers). */
  Promotion promoteDelayedJobs(long nowMillis);

  /** The due time of the earliest delayed job, or 0 when there is none. */
  long nextDelayedDue();

  /**
   * What a promotion left behind.
   *
   * @param nextDueMillis the due time of the earliest job still delayed, 0 when there is none
   * @param waiting how many jobs were waiting already, ahead of the ones just promoted
   */
  record Promotion(long nextDueMillis, long waiting) {}

  /**
   * What a stalled check did.
   *
   * @param moved ids of the jobs moved back to wait
   * @param nextCheckInMillis in how many ms a check may find more to do: when the next full check is due, or
   *     sooner, when the lock of a recorded job runs out (the scheduler calls no later than a stalled interval)
   */
  record StalledCheck(List<String> moved, long nextCheckInMillis) {
    public StalledCheck {
      moved = List.copyOf(moved);
    }
  }
}
