package io.bullpen.redis.internal.worker;

import io.bullpen.CancellationToken;
import io.bullpen.DependencyCounts;
import io.bullpen.DependencyPage;
import io.bullpen.Job;
import io.bullpen.JobDependencies;
import io.bullpen.JobOptions;
import io.bullpen.JobParent;
import io.bullpen.JobState;
import io.bullpen.redis.internal.job.RedisJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The job a processor receives: the fetched {@link RedisJob} (holding the lock token), which also tells the
 * worker's listeners about progress updates and remembers when the processor moved the job itself.
 */
final class ProcessingJob implements Job {
  private final RedisJob job;
  private final WorkerEvents events;
  private volatile boolean movedByProcessor;
  private final RunningAttempts.Attempt attempt;
  private volatile ObservedAttempt observed = ObservedAttempt.NONE;

  public ProcessingJob(RedisJob job, WorkerEvents events) {
    this(job, events, null);
  }

  /** A job whose log lines are buffered and whose cancellation is signalled through {@code attempt}. */
  public ProcessingJob(RedisJob job, WorkerEvents events, RunningAttempts.Attempt attempt) {
    this.job = job;
    this.events = events;
    this.attempt = attempt;
  }

  /** The attempt as its observers see it ({@link ObservedAttempt#NONE} when none observe it). */
  ObservedAttempt observed() {
    return observed;
  }

  void observed(ObservedAttempt attempt) {
    this.observed = attempt;
  }

  /** The running attempt (log buffer, cancel signal), or null for a job run without one. */
  public RunningAttempts.Attempt attempt() {
    return attempt;
  }

  @Override
  public CancellationToken cancellation() {
    return attempt == null ? CancellationToken.NONE : attempt.signal();
  }

  /** The underlying job as read from Redis. */
  public RedisJob redisJob() {
    return job;
  }

  @Override
  public void updateProgress(Object progress) {
    job.updateProgress(progress);
    events.progress(this, progress);
  }
  @Override
  public CompletableFuture<Void> updateProgressAsync(Object progress) {
    return job.updateProgressAsync(progress).thenRun(() -> events.progress(this, progress));
  }


  @Override
  public String id() {
    return job.id();
  }

  @Override
  public String name() {
    return job.name();
  }

  @Override
  public String queueName() {
    return job.queueName();
  }

  /** Whether the processor moved the job out of active itself, so the worker must leave it where it is. */
  public boolean movedByProcessor() {
    return movedByProcessor;
  }

  @Override
  public boolean moveToWaitingChildren() {
    return moveToWaitingChildren(null);
  }

  @Override
  public boolean moveToWaitingChildren(String childKey) {
    boolean moved = job.moveToWaitingChildren(childKey);
    if (moved) {
      movedByProcessor = true;
    }
    return moved;
  }
  @Override
  public CompletableFuture<Boolean> moveToWaitingChildrenAsync() {
    return moveToWaitingChildrenAsync(null);
  }

  @Override
  public CompletableFuture<Boolean> moveToWaitingChildrenAsync(String childKey) {
    return job.moveToWaitingChildrenAsync(childKey).thenApply(moved -> {
      if (moved) {
        movedByProcessor = true;
      }
      return moved;
    });
  }


  @Override
  public String queueQualifiedName() {
    return job.queueQualifiedName();
  }

  @Override
  public Optional<JobParent> parent() {
    return job.parent();
  }

  @Override
  public Map<String, String> getChildrenValues() {
    return job.getChildrenValues();
  }
  @Override
  public CompletableFuture<Map<String, String>> getChildrenValuesAsync() {
    return job.getChildrenValuesAsync();
  }


  @Override
  public Map<String, String> getFailedChildrenValues() {
    return job.getFailedChildrenValues();
  }
  @Override
  public CompletableFuture<Map<String, String>> getFailedChildrenValuesAsync() {
    return job.getFailedChildrenValuesAsync();
  }


  @Override
  public JobDependencies getDependencies() {
    return job.getDependencies();
  }
  @Override
  public CompletableFuture<JobDependencies> getDependenciesAsync() {
    return job.getDependenciesAsync();
  }


  @Override
  public JobDependencies getDependencies(DependencyPage page) {
    return job.getDependencies(page);
  }
  @Override
  public CompletableFuture<JobDependencies> getDependenciesAsync(DependencyPage page) {
    return job.getDependenciesAsync(page);
  }


  @Override
  public DependencyCounts getDependenciesCount() {
    return job.getDependenciesCount();
  }
  @Override
  public CompletableFuture<DependencyCounts> getDependenciesCountAsync() {
    return job.getDependenciesCountAsync();
  }


  @Override
  public boolean removeChildDependency() {
    return job.removeChildDependency();
  }
  @Override
  public CompletableFuture<Boolean> removeChildDependencyAsync() {
    return job.removeChildDependencyAsync();
  }


  @Override
  public String dataJson() {
    return job.dataJson();
  }

  @Override
  public <T> T data(Class<T> type) {
    return job.data(type);
  }

  @Override
  public JobOptions options() {
    return job.options();
  }

  @Override
  public String optionsJson() {
    return job.optionsJson();
  }

  @Override
  public long timestamp() {
    return job.timestamp();
  }

  @Override
  public long delay() {
    return job.delay();
  }

  @Override
  public int priority() {
    return job.priority();
  }

  @Override
  public OptionalLong processedOn() {
    return job.processedOn();
  }

  @Override
  public OptionalLong finishedOn() {
    return job.finishedOn();
  }

  @Override
  public Optional<String> returnValueJson() {
    return job.returnValueJson();
  }

  @Override
  public <T> Optional<T> returnValue(Class<T> type) {
    return job.returnValue(type);
  }

  @Override
  public Optional<String> failedReason() {
    return job.failedReason();
  }

  @Override
  public List<String> stacktrace() {
    return job.stacktrace();
  }

  @Override
  public String progressJson() {
    return job.progressJson();
  }

  @Override
  public int attemptsMade() {
    return job.attemptsMade();
  }

  @Override
  public int attemptsStarted() {
    return job.attemptsStarted();
  }

  @Override
  public int stalledCounter() {
    return job.stalledCounter();
  }

  @Override
  public Optional<String> processedBy() {
    return job.processedBy();
  }

  @Override
  public Optional<String> deferredFailure() {
    return job.deferredFailure();
  }

  @Override
  public Optional<String> parentKey() {
    return job.parentKey();
  }

  @Override
  public Optional<String> repeatJobKey() {
    return job.repeatJobKey();
  }

  @Override
  public Map<String, String> rawFields() {
    return job.rawFields();
  }

  @Override
  public Optional<String> lockToken() {
    return job.lockToken();
  }

  @Override
  public long log(String line) {
    return attempt == null ? job.log(line) : attempt.log(line);
  }
  @Override
  public CompletableFuture<Long> logAsync(String line) {
    return attempt == null ? job.logAsync(line) : CompletableFuture.completedFuture(attempt.log(line));
  }


  @Override
  public void extendLock(Duration duration) {
    job.extendLock(duration);
  }
  @Override
  public CompletableFuture<Void> extendLockAsync(Duration duration) {
    return job.extendLockAsync(duration);
  }


  @Override
  public void updateData(Object data) {
    job.updateData(data);
  }
  @Override
  public CompletableFuture<Void> updateDataAsync(Object data) {
    return job.updateDataAsync(data);
  }


  @Override
  public JobState state() {
    return job.state();
  }
  @Override
  public CompletableFuture<JobState> stateAsync() {
    return job.stateAsync();
  }


  @Override
  public void retry() {
    job.retry();
  }
  @Override
  public CompletableFuture<Void> retryAsync() {
    return job.retryAsync();
  }


  @Override
  public boolean remove() {
    return job.remove();
  }
  @Override
  public CompletableFuture<Boolean> removeAsync() {
    return job.removeAsync();
  }


  @Override
  public void promote() {
    job.promote();
  }
  @Override
  public CompletableFuture<Void> promoteAsync() {
    return job.promoteAsync();
  }


  @Override
  public String toString() {
    return job.toString();
  }
}
