package io.bullpen.redis.internal.job;

import io.bullpen.BullpenException;
import io.bullpen.DependencyCounts;
import io.bullpen.DependencyPage;
import io.bullpen.JobDependencies;
import io.bullpen.JobState;
import io.bullpen.QueueConnectionException;
import io.bullpen.redis.internal.codec.Payloads;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.OpenState;
import java.time.Duration;
import java.util.Map;

/**
 * The backend of the jobs a Queue (or a FlowProducer) hands out: the plain {@link RedisJobBackend}, plus telling
 * the queue's listeners about removals and Redis failures, and refusing every call once the owner is closed.
 */
public final class ListeningJobBackend implements JobBackend {
  private final RedisJobBackend delegate;
  private final QueueListeners listeners;
  private final OpenState open;

  public ListeningJobBackend(RedisJobBackend delegate, QueueListeners listeners, OpenState open) {
    this.delegate = delegate;
    this.listeners = listeners;
    this.open = open;
  }

  public RedisJobBackend delegate() {
    return delegate;
  }

  public QueueListeners listeners() {
    return listeners;
  }

  @Override
  public String queueQualifiedName() {
    return delegate.queueQualifiedName();
  }

  @Override
  public Payloads payloads() {
    return delegate.payloads();
  }

  @Override
  public Call<Map<String, String>> getChildrenValues(String jobId) {
    return guard(delegate.getChildrenValues(jobId));
  }

  @Override
  public Call<Map<String, String>> getIgnoredFailures(String jobId) {
    return guard(delegate.getIgnoredFailures(jobId));
  }

  @Override
  public Call<JobDependencies> getDependencies(String jobId, DependencyPage page) {
    return guard(delegate.getDependencies(jobId, page));
  }

  @Override
  public Call<DependencyCounts> getDependencyCounts(String jobId) {
    return guard(delegate.getDependencyCounts(jobId));
  }

  @Override
  public Call<Boolean> moveToWaitingChildren(String jobId, String token, String childKey) {
    return guard(delegate.moveToWaitingChildren(jobId, token, childKey));
  }

  @Override
  public Call<Boolean> removeChildDependency(String jobId) {
    return guard(delegate.removeChildDependency(jobId));
  }

  @Override
  public Call<Void> updateProgress(String jobId, String progressJson) {
    return guard(delegate.updateProgress(jobId, progressJson));
  }

  @Override
  public Call<Long> addLog(String jobId, String line, Integer keepLogs) {
    return guard(delegate.addLog(jobId, line, keepLogs));
  }

  @Override
  public Call<Void> extendLock(String jobId, String token, Duration duration) {
    return guard(delegate.extendLock(jobId, token, duration));
  }

  @Override
  public Call<Void> updateData(String jobId, String dataJson) {
    return guard(delegate.updateData(jobId, dataJson));
  }

  @Override
  public Call<JobState> getState(String jobId) {
    return guard(delegate.getState(jobId));
  }

  @Override
  public Call<Void> reprocess(String jobId) {
    return guard(delegate.reprocess(jobId));
  }

  @Override
  public Call<Boolean> remove(String jobId) {
    return guard(delegate.remove(jobId)).onSuccess(removed -> {
      if (removed) {
        listeners.fire("onRemoved", l -> l.onRemoved(jobId));
      }
    });
  }

  @Override
  public Call<Void> promote(String jobId) {
    return guard(delegate.promote(jobId));
  }

  /**
   * {@code call}, reporting a failure caused by Redis to the listeners' onError, and refused with
   * {@link io.bullpen.ClosedException} once the owner is closed.
   */
  public <T> Call<T> guard(Call<T> call) {
    return open.guard(call.onFailure(e -> {
      if (isRedisFailure(e)) {
        listeners.fire("onError", l -> l.onError(e));
      }
    }));
  }

  /**
   * Whether {@code error} came from Redis itself (unreachable, timed out, refused) rather than from a job's state
   * or the caller's input: only those are reported as queue errors.
   */
  public static boolean isRedisFailure(RuntimeException error) {
    return error instanceof QueueConnectionException || error.getClass() == BullpenException.class;
  }
}
