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
   * stall limit), and the active jobs are recorded for the next check. Does nothing when another scheduler of the
   * queue ran one within the last {@code stalledIntervalMillis}.
   *
   * @return ids of the jobs moved back
   */
  List<String> moveStalledJobsToWait(int maxStalledCount, long stalledIntervalMillis, long nowMillis);

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
}
