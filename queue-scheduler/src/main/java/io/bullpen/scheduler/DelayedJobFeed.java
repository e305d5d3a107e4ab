package io.bullpen.scheduler;

/**
 * News of delayed jobs as they are written to the queues of a {@link QueueScheduler} (in Redis: their
 * {@code delayed} events), so the scheduler wakes for a job due earlier than any it knew of. Optional: without a
 * feed the scheduler only looks at the queues now and then. Markers and events are hints; the scheduler reads
 * the queues themselves before it trusts a due time.
 */
public interface DelayedJobFeed extends AutoCloseable {
  /**
   * Blocks for at most {@code maxWaitMillis} until delayed jobs may have been written since the previous call, and
   * reports to {@code listener} the earliest due time known for each queue with news (at least as early as any
   * job written); returns at once when there is news already.
   *
   * @throws RuntimeException when the backend cannot be read (the scheduler reports it and tries again)
   */
  void await(long maxWaitMillis, Listener listener) throws InterruptedException;

  /** Ends a wait in progress and releases the feed's resources; the scheduler calls it when it closes. */
  @Override
  void close();

  /** Receives due times of delayed jobs: the earliest of a queue, or of a job just written. */
  @FunctionalInterface
  interface Listener {
    void delayed(ScheduledQueue queue, long dueMillis);
  }
}
