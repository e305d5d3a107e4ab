package io.bullpen.redis.internal.job;

import io.bullpen.DependencyCounts;
import io.bullpen.DependencyPage;
import io.bullpen.JobDependencies;
import io.bullpen.JobState;
import java.time.Duration;
import java.util.Map;

/**
 * The Redis operations behind {@link io.bullpen.Job}'s methods, implemented by the queue's script layer, so the
 * job object itself stays a plain value plus a handle.
 */
public interface JobBackend {
  /** {@code <prefix>:<queue>} of the jobs this backend serves. */
  String queueQualifiedName();

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

  /** Completed children's return values (JSON) by full child key. */
  Map<String, String> getChildrenValues(String jobId);

  /** Failed reasons of children let through by idof/cpof, by full child key. */
  Map<String, String> getIgnoredFailures(String jobId);

  /** The job's children by condition: all of them when {@code page} is null, else that page. */
  JobDependencies getDependencies(String jobId, DependencyPage page);

  DependencyCounts getDependencyCounts(String jobId);

  /**
   * Parks the active job held with {@code token} in waiting-children when a child ({@code childKey}, or any when
   * null) is pending; false when there is nothing to wait for.
   */
  boolean moveToWaitingChildren(String jobId, String token, String childKey);

  /** Detaches the job from its parent; false when the parent was not waiting for it. */
  boolean removeChildDependency(String jobId);
}
