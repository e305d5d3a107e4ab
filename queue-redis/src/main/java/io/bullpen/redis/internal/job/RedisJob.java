package io.bullpen.redis.internal.job;

import io.bullpen.BullpenException;
import io.bullpen.DependencyCounts;
import io.bullpen.DependencyPage;
import io.bullpen.JobDependencies;
import io.bullpen.JobState;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.codec.Payloads;
import io.bullpen.redis.internal.script.Call;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link io.bullpen.Job} read from its Redis hash, acting through its queue's {@link JobBackend}: each blocking
 * method joins the backend's call, each {@code …Async} one starts it.
 */
public final class RedisJob extends JobHash {
  private final JobBackend backend;
  private final String lockToken;

  public RedisJob(String id, String queueName, Map<String, String> fields, JobBackend backend, String lockToken) {
    super(id, queueName, fields);
    this.backend = backend;
    this.lockToken = lockToken;
  }

  @Override
  protected Payloads payloads() {
    return backend == null ? Payloads.defaults() : backend.payloads();
  }

  /** The same job, now held with {@code token}. */
  public RedisJob withLockToken(String token) {
    return new RedisJob(id(), queueName(), rawFields(), backend, token);
  }

  @Override
  public String queueQualifiedName() {
    return backend().queueQualifiedName();
  }

  @Override
  public Optional<String> lockToken() {
    return Optional.ofNullable(lockToken);
  }

  @Override
  public void updateProgress(Object progress) {
    progressCall(progress).join();
  }

  @Override
  public CompletableFuture<Void> updateProgressAsync(Object progress) {
    return progressCall(progress).async();
  }

  private Call<Void> progressCall(Object progress) {
    return backend().updateProgress(id(), Json.progressToJson(progress));
  }

  @Override
  public long log(String line) {
    return logCall(line).join();
  }

  @Override
  public CompletableFuture<Long> logAsync(String line) {
    return logCall(line).async();
  }

  private Call<Long> logCall(String line) {
    Objects.requireNonNull(line, "line");
    return backend().addLog(id(), line, options().keepLogs().orElse(null));
  }

  @Override
  public void extendLock(Duration duration) {
    extendLockCall(duration).join();
  }

  @Override
  public CompletableFuture<Void> extendLockAsync(Duration duration) {
    return extendLockCall(duration).async();
  }

  private Call<Void> extendLockCall(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (lockToken == null) {
      throw new IllegalStateException("job " + id() + " was not fetched by a worker; it holds no lock to extend");
    }
    return backend().extendLock(id(), lockToken, duration);
  }

  @Override
  public void updateData(Object data) {
    updateDataCall(data).join();
  }

  @Override
  public CompletableFuture<Void> updateDataAsync(Object data) {
    return updateDataCall(data).async();
  }

  private Call<Void> updateDataCall(Object data) {
    return backend().updateData(id(), Json.dataToJson(data, "data"));
  }

  @Override
  public JobState state() {
    return backend().getState(id()).join();
  }

  @Override
  public CompletableFuture<JobState> stateAsync() {
    return backend().getState(id()).async();
  }

  @Override
  public void retry() {
    backend().reprocess(id()).join();
  }

  @Override
  public CompletableFuture<Void> retryAsync() {
    return backend().reprocess(id()).async();
  }

  @Override
  public boolean remove() {
    return backend().remove(id()).join();
  }

  @Override
  public CompletableFuture<Boolean> removeAsync() {
    return backend().remove(id()).async();
  }

  @Override
  public void promote() {
    backend().promote(id()).join();
  }

  @Override
  public CompletableFuture<Void> promoteAsync() {
    return backend().promote(id()).async();
  }

  @Override
  public Map<String, String> getChildrenValues() {
    return backend().getChildrenValues(id()).join();
  }

  @Override
  public CompletableFuture<Map<String, String>> getChildrenValuesAsync() {
    return backend().getChildrenValues(id()).async();
  }

  @Override
  public Map<String, String> getFailedChildrenValues() {
    return backend().getIgnoredFailures(id()).join();
  }

  @Override
  public CompletableFuture<Map<String, String>> getFailedChildrenValuesAsync() {
    return backend().getIgnoredFailures(id()).async();
  }

  @Override
  public JobDependencies getDependencies() {
    return backend().getDependencies(id(), null).join();
  }

  @Override
  public CompletableFuture<JobDependencies> getDependenciesAsync() {
    return backend().getDependencies(id(), null).async();
  }

  @Override
  public JobDependencies getDependencies(DependencyPage page) {
    return dependencyPage(page).join();
  }

  @Override
  public CompletableFuture<JobDependencies> getDependenciesAsync(DependencyPage page) {
    return dependencyPage(page).async();
  }

  private Call<JobDependencies> dependencyPage(DependencyPage page) {
    Objects.requireNonNull(page, "page");
    return backend().getDependencies(id(), page);
  }

  @Override
  public DependencyCounts getDependenciesCount() {
    return backend().getDependencyCounts(id()).join();
  }

  @Override
  public CompletableFuture<DependencyCounts> getDependenciesCountAsync() {
    return backend().getDependencyCounts(id()).async();
  }

  @Override
  public boolean moveToWaitingChildren() {
    return moveToWaitingChildren(null);
  }

  @Override
  public CompletableFuture<Boolean> moveToWaitingChildrenAsync() {
    return moveToWaitingChildrenAsync(null);
  }

  @Override
  public boolean moveToWaitingChildren(String childKey) {
    return waitForChildren(childKey).join();
  }

  @Override
  public CompletableFuture<Boolean> moveToWaitingChildrenAsync(String childKey) {
    return waitForChildren(childKey).async();
  }

  private Call<Boolean> waitForChildren(String childKey) {
    if (lockToken == null) {
      throw new IllegalStateException("job " + id() + " was not fetched by a worker; only its processor can move it to "
          + "waiting-children");
    }
    return backend().moveToWaitingChildren(id(), lockToken, childKey);
  }

  @Override
  public boolean removeChildDependency() {
    return backend().removeChildDependency(id()).join();
  }

  @Override
  public CompletableFuture<Boolean> removeChildDependencyAsync() {
    return backend().removeChildDependency(id()).async();
  }

  private JobBackend backend() {
    if (backend == null) {
      throw new BullpenException("job " + id() + " is detached from its queue");
    }
    return backend;
  }

  @Override
  public String toString() {
    return "Job{" + queueName() + "/" + id() + " " + name() + "}";
  }
}
