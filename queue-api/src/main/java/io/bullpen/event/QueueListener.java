package io.bullpen.event;

import io.bullpen.Job;
import io.bullpen.JobState;
import java.util.List;

/**
 * Hears what one Queue object (and its views) does, in this process (BullMQ's Queue events). Every method has a
 * no-op default, so implement only what you need. Each is told once per call: after a blocking call on the
 * caller's thread, after an {@code …Async} call just before its future completes (on the thread completing it,
 * often a Redis I/O thread: do not block there). One that throws is logged and skipped, never failing the
 * operation. For events from every producer and worker, read the queue's event stream instead.
 */
public interface QueueListener {
  /** A job was added by this queue object (delayed and prioritized ones included, as BullMQ does). */
  default void onWaiting(Job job) {}

  /** The queue was paused through this queue object. */
  default void onPaused() {}

  /** The queue was resumed through this queue object. */
  default void onResumed() {}

  /** {@code clean} deleted these jobs of {@code state}. */
  default void onCleaned(List<String> jobIds, JobState state) {}

  /**
   * A job's progress was set through this queue object ({@code Queue.updateJobProgress}), with the value given
   * there; the {@code progress} event of the queue's event stream tells every process.
   */
  default void onProgress(String jobId, Object progress) {}

  /** A job was removed through this queue object or one of the jobs it returned. */
  default void onRemoved(String jobId) {}

  /** A queue operation failed because of Redis (unreachable, timed out, refused a command). */
  default void onError(Throwable error) {}
}
