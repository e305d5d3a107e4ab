package io.bullpen.redis.internal.worker;

import io.bullpen.redis.internal.settle.ClaimedJobs;

/**
 * What a worker kind does with a slot its {@link FetchLoop} holds: the per-job runner runs each claimed job in a
 * slot of its own, the batch runner runs all of them as one batch in one slot.
 */
interface WorkSource {
  /**
   * Claims work locked with {@code token}, inside the fetch gate. It may take further free slots for further
   * jobs, and must give back those it does not use.
   */
  ClaimedJobs claim(String token);

  /**
   * Starts claimed work (at least one job, already counted as held) in the slot; the slot and the jobs are
   * released when the work ends, also when it cannot start.
   */
  void start(ClaimedJobs claimed, String token) throws InterruptedException;
}
