package io.bullpen.redis.internal;

import io.bullpen.JobState;
import java.time.Duration;

/**
 * The Redis operations behind {@link io.bullpen.Job}'s methods, implemented by the queue's script layer, so the
 * job object itself stays a plain value plus a handle.
 */
public interface JobBackend {
  void updateProgress(String jobId, String progressJson);

  long addLog(String jobId, String line, Integer keepLogs);

  /** Extends the lock held with {@code token}; throws {@link io.bullpen.LockLostException} if it is gone. */
  void extendLock(String jobId, String token, Duration duration);

  void updateData(String jobId, String dataJson);

  JobState getState(String jobId);

  /** Moves a completed or failed job back to wait. */
  void reprocess(String jobId);

  boolean remove(String jobId);

  void promote(String jobId);
}
