package io.bullpen.redis.internal.job;

import io.bullpen.BullpenException;
import io.bullpen.DependencyCounts;
import io.bullpen.DependencyPage;
import io.bullpen.JobDependencies;
import io.bullpen.JobState;
import io.bullpen.QueueConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The backend of the jobs a Queue hands out: the plain {@link RedisJobBackend}, plus telling the queue's
 * listeners about removals and Redis failures.
 */
public final class ListeningJobBackend implements JobBackend {
  private final RedisJobBackend delegate;
  private final QueueListeners listeners;

  public ListeningJobBackend(RedisJobBackend delegate, QueueListeners listeners) {
    this.delegate = delegate;
    this.listeners = listeners;
  }

  public RedisJobBackend delegate() {
    return delegate;
  }

  @Override
  public String queueQualifiedName() {
    return delegate.queueQualifiedName();
  }

  @Override
  public Map<String, String> getChildrenValues(String jobId) {
    return guard(() -> delegate.getChildrenValues(jobId));
  }

  @Override
  public Map<String, String> getIgnoredFailures(String jobId) {
    return guard(() -> delegate.getIgnoredFailures(jobId));
  }

  @Override
  public JobDependencies getDependencies(String jobId, DependencyPage page) {
    return guard(() -> delegate.getDependencies(jobId, page));
  }

  @Override
  public DependencyCounts getDependencyCounts(String jobId) {
    return guard(() -> delegate.getDependencyCounts(jobId));
  }

  @Override
  public boolean moveToWaitingChildren(String jobId, String token, String childKey) {
    return guard(() -> delegate.moveToWaitingChildren(jobId, token, childKey));
  }

  @Override
  public boolean removeChildDependency(String jobId) {
    return guard(() -> delegate.removeChildDependency(jobId));
  }

  @Override
  public void updateProgress(String jobId, String progressJson) {
    guardRun(() -> delegate.updateProgress(jobId, progressJson));
  }

  @Override
  public long addLog(String jobId, String line, Integer keepLogs) {
    return guard(() -> delegate.addLog(jobId, line, keepLogs));
  }

  @Override
  public void extendLock(String jobId, String token, Duration duration) {
    guardRun(() -> delegate.extendLock(jobId, token, duration));
  }

  @Override
  public void updateData(String jobId, String dataJson) {
    guardRun(() -> delegate.updateData(jobId, dataJson));
  }

  @Override
  public JobState getState(String jobId) {
    return guard(() -> delegate.getState(jobId));
  }

  @Override
  public void reprocess(String jobId) {
    guardRun(() -> delegate.reprocess(jobId));
  }

  @Override
  public boolean remove(String jobId) {
    boolean removed = guard(() -> delegate.remove(jobId));
    if (removed) {
      listeners.fire("onRemoved", l -> l.onRemoved(jobId));
    }
    return removed;
  }

  @Override
  public void promote(String jobId) {
    guardRun(() -> delegate.promote(jobId));
  }

  /** Runs {@code call}; a failure caused by Redis is reported to the listeners' onError, then rethrown. */
  public <T> T guard(Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      if (isRedisFailure(e)) {
        listeners.fire("onError", l -> l.onError(e));
      }
      throw e;
    }
  }

  public void guardRun(Runnable call) {
    guard(() -> {
      call.run();
      return null;
    });
  }

  /**
   * Whether {@code error} came from Redis itself (unreachable, timed out, refused) rather than from a job's state
   * or the caller's input: only those are reported as queue errors.
   */
  public static boolean isRedisFailure(RuntimeException error) {
    return error instanceof QueueConnectionException || error.getClass() == BullpenException.class;
  }
}
