package io.bullpen.scheduler;

/**
 * Hears what a {@link QueueScheduler} does. Called on the scheduler's threads; a listener that throws is logged
 * and ignored.
 */
public interface SchedulerListener {
  /** A job of {@code queue} was found stalled (its worker stopped renewing its lock) and moved back to wait. */
  default void onStalled(String queue, String jobId) {}

  /** A scheduled duty on {@code queue} failed (Redis away, say); it is tried again later. */
  default void onError(String queue, Throwable error) {}
}
