package io.bullpen.redis.internal.job;

import io.bullpen.DependencyCounts;
import io.bullpen.DependencyPage;
import io.bullpen.JobDependencies;
import io.bullpen.JobState;
import io.bullpen.redis.internal.codec.Payloads;
import io.bullpen.redis.internal.script.Call;
import java.time.Duration;
import java.util.Map;

/**
 * The Redis operations behind {@link io.bullpen.Job}'s methods, implemented by the queue's script layer, so the
 * job object itself stays a plain value plus a handle. Each returns a {@link Call}, which the job joins for its
 * blocking method and starts for its {@code …Async} one; arguments are checked when the call is made.
 */
public interface JobBackend {
  /** {@code <prefix>:<queue>} of the jobs this backend serves. */
  String queueQualifiedName();

  /** The payload limit its jobs' data and results are read with. */
  Payloads payloads();

  Call<Void> updateProgress(String jobId, String progressJson);

  Call<Long> addLog(String jobId, String line, Integer keepLogs);

  /** Extends the lock held with {@code token}; fails with {@link io.bullpen.LockLostException} if it is gone. */
  Call<Void> extendLock(String jobId, String token, Duration duration);

  Call<Void> updateData(String jobId, String dataJson);

  Call<JobState> getState(String jobId);

  /** Moves a completed or failed job back to wait. */
  Call<Void> reprocess(String jobId);

  Call<Boolean> remove(String jobId);

  Call<Void> promote(String jobId);

  /** Completed children's return values (JSON) by full child key. */
  Call<Map<String, String>> getChildrenValues(String jobId);

  /** Failed reasons of children let through by idof/cpof, by full child key. */
  Call<Map<String, String>> getIgnoredFailures(String jobId);

  /** The job's children by condition: all of them when {@code page} is null, else that page. */
  Call<JobDependencies> getDependencies(String jobId, DependencyPage page);

  Call<DependencyCounts> getDependencyCounts(String jobId);

  /**
   * Parks the active job held with {@code token} in waiting-children when a child ({@code childKey}, or any when
   * null) is pending; false when there is nothing to wait for.
   */
  Call<Boolean> moveToWaitingChildren(String jobId, String token, String childKey);

  /** Detaches the job from its parent; false when the parent was not waiting for it. */
  Call<Boolean> removeChildDependency(String jobId);
}
