package io.bullpen.event;

import io.bullpen.Job;

/**
 * Callbacks for what one worker does, in its own process (not read from the Redis event stream). Every method
 * does nothing by default, so implementations override only what they need. Callbacks run on the worker's
 * threads and should return quickly; an exception thrown by a listener is logged and otherwise ignored.
 */
public interface WorkerListener {
  /** The worker took {@code job} and is about to run the processor on it. */
  default void onActive(Job job) {}

  /** A processor reported progress for {@code job}. */
  default void onProgress(Job job, Object progress) {}

  /** {@code job} completed with {@code result} (the processor's return value). */
  default void onCompleted(Job job, Object result) {}

  /**
   * An attempt of {@code job} failed with {@code error}. Called for every failed attempt, including ones that
   * will be retried, as BullMQ's worker {@code failed} event is; {@link Job#attemptsMade()} is the count before
   * this attempt.
   */
  default void onFailed(Job job, Throwable error) {}

  /** Something went wrong outside a processor: Redis unreachable, a lock lost, a listener-independent fault. */
  default void onError(Throwable error) {}

  /** The worker found no job to run; called once per idle period. */
  default void onDrained() {}

  /** The worker's stalled check put {@code jobId} back to wait (its previous owner stopped renewing its lock). */
  default void onStalled(String jobId) {}

  /** The worker has closed; no callback follows. */
  default void onClosed() {}
}
