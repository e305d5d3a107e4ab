package io.bullpen;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * One job as stored in Redis (BullMQ 6's job hash), plus the operations a producer or a processor may run on
 * it. Getters return the values read when the job was fetched; call {@link #state()} or read the job again for
 * fresh values.
 *
 * <p>Every operation that talks to Redis comes in two forms named alike: a blocking one ({@link #state()}) and
 * one returning a {@link CompletableFuture} ({@link #stateAsync()}). The future completes exceptionally with the
 * exception the blocking form throws; bad arguments throw at once in both. Callbacks on the future may run on a
 * Redis I/O thread: do not block there (use the {@code …Async} variants of {@code thenApply} and friends).
 */
public interface Job {
  /** The job id: a counter value, a custom id, or a scheduler iteration id. */
  String id();

  String name();

  String queueName();

  /** {@code <prefix>:<queue>}, the name BullMQ uses for the job's queue in flow references. */
  String queueQualifiedName();

  /** The job's data as JSON text ({@code {}} when the producer gave none). */
  String dataJson();

  /** The job's data converted to {@code type} with Jackson. */
  <T> T data(Class<T> type);

  /** The options the job was added with, as far as Bullpen understands them. */
  JobOptions options();

  /** The stored {@code opts} JSON, with BullMQ's short keys; unknown keys are kept. */
  String optionsJson();

  /** Creation time, epoch ms. */
  long timestamp();

  /** The relative delay last requested, ms. */
  long delay();

  int priority();

  /** When the latest attempt started, epoch ms. */
  OptionalLong processedOn();

  /** When the job finished (completed or finally failed), epoch ms. */
  OptionalLong finishedOn();

  /** The processor's result as JSON text, once completed. */
  Optional<String> returnValueJson();

  /** The processor's result converted to {@code type}, once completed. */
  <T> Optional<T> returnValue(Class<T> type);

  /** The message of the latest failure. */
  Optional<String> failedReason();

  /** Stack traces of the failures, oldest first. */
  List<String> stacktrace();

  /** Progress as JSON text ({@code 0} until the first update). */
  String progressJson();

  /** Attempts finished (successfully or not): BullMQ's {@code atm}. */
  int attemptsMade();

  /** Attempts started: BullMQ's {@code ats}. */
  int attemptsStarted();

  /** How many times the job was found stalled: BullMQ's {@code stc}. */
  int stalledCounter();

  /** The name of the worker that took the job last ({@code pb}), if it had one. */
  Optional<String> processedBy();

  /** The reason the job must fail as soon as a worker takes it ({@code defa}), if any. */
  Optional<String> deferredFailure();

  /** The full Redis key of the parent job, for a flow child. */
  Optional<String> parentKey();

  /** The parent job (id and qualified queue name), for a flow child. */
  Optional<JobParent> parent();

  /** The job scheduler that produced this job ({@code rjk}), if any. */
  Optional<String> repeatJobKey();

  /** Every field of the job hash as read, including ones Bullpen does not interpret. */
  Map<String, String> rawFields();

  /** The lock token when this job is held by a worker or lease, else empty. */
  Optional<String> lockToken();

  /** Stores progress (a number or any JSON-serialisable object) and emits a {@code progress} event. */
  void updateProgress(Object progress);

  /** As {@link #updateProgress}, without blocking. */
  CompletableFuture<Void> updateProgressAsync(Object progress);

  /**
   * Appends a line to the job's log; returns the number of lines now kept. Inside a worker's processor, lines are
   * buffered and written in batches (at most 100 lines or 1 s old, and when the attempt ends), and the return
   * value is the number of lines this attempt has logged.
   */
  long log(String line);

  /** As {@link #log}, without blocking (a processor's buffered line completes at once). */
  CompletableFuture<Long> logAsync(String line);

  /** The cancellation signal of a job a worker is running; {@link CancellationToken#NONE} elsewhere. */
  default CancellationToken cancellation() {
    return CancellationToken.NONE;
  }

  /** Extends this job's lock by {@code duration}; throws {@link LockLostException} if the lock is gone. */
  void extendLock(Duration duration);

  /** As {@link #extendLock}, without blocking. */
  CompletableFuture<Void> extendLockAsync(Duration duration);

  /** Replaces the job's data. */
  void updateData(Object data);

  /** As {@link #updateData}, without blocking. */
  CompletableFuture<Void> updateDataAsync(Object data);

  /** Reads the job's current state from Redis. */
  JobState state();

  /** As {@link #state}, without blocking. */
  CompletableFuture<JobState> stateAsync();

  /** Moves a completed or failed job back to wait (BullMQ's {@code job.retry}). */
  void retry();

  /** As {@link #retry}, without blocking. */
  CompletableFuture<Void> retryAsync();

  /** Removes the job; returns false when it is locked by a worker. */
  boolean remove();

  /** As {@link #remove}, without blocking. */
  CompletableFuture<Boolean> removeAsync();

  /** Moves a delayed job to wait at once. */
  void promote();

  /** As {@link #promote}, without blocking. */
  CompletableFuture<Void> promoteAsync();

  // ---- flows ---------------------------------------------------------------------------------------------------

  /**
   * The return values of this job's completed children, as JSON text, by the child's full key
   * ({@code <prefix>:<queue>:<id>}).
   */
  Map<String, String> getChildrenValues();

  /** As {@link #getChildrenValues}, without blocking. */
  CompletableFuture<Map<String, String>> getChildrenValuesAsync();

  /**
   * The failed reasons of children whose failure was let through ({@code ignoreDependencyOnFailure} or
   * {@code continueParentOnFailure}), by the child's full key.
   */
  Map<String, String> getFailedChildrenValues();

  /** As {@link #getFailedChildrenValues}, without blocking. */
  CompletableFuture<Map<String, String>> getFailedChildrenValuesAsync();

  /** Every child of this job, by condition (read in one step). */
  JobDependencies getDependencies();

  /** As {@link #getDependencies()}, without blocking. */
  CompletableFuture<JobDependencies> getDependenciesAsync();

  /** One page of this job's children, for the kinds {@code page} asks for. */
  JobDependencies getDependencies(DependencyPage page);

  /** As {@link #getDependencies(DependencyPage)}, without blocking. */
  CompletableFuture<JobDependencies> getDependenciesAsync(DependencyPage page);

  /** How many children this job has in each condition. */
  DependencyCounts getDependenciesCount();

  /** As {@link #getDependenciesCount}, without blocking. */
  CompletableFuture<DependencyCounts> getDependenciesCountAsync();

  /**
   * From a processor: moves this running job to {@code waiting-children} when it has pending children, so it runs
   * again once they have settled. Returns false, leaving the job running, when nothing is pending. After a true
   * return the worker leaves the job where it is, whatever the processor then returns or throws.
   *
   * @throws JobStateException when a child failed with {@code failParentOnFailure} (the job can never complete)
   * @throws LockLostException when this worker no longer holds the job
   */
  boolean moveToWaitingChildren();

  /**
   * As {@link #moveToWaitingChildren()}, without blocking; the processor must wait for the future before it
   * returns, so the worker knows where the job went.
   */
  CompletableFuture<Boolean> moveToWaitingChildrenAsync();

  /**
   * As {@link #moveToWaitingChildren()}, but waits only if the child with full key {@code childKey} is pending.
   */
  boolean moveToWaitingChildren(String childKey);

  /** As {@link #moveToWaitingChildren(String)}, without blocking. */
  CompletableFuture<Boolean> moveToWaitingChildrenAsync(String childKey);

  /**
   * Detaches this job from its parent: it is no longer a pending dependency (the parent is released when it was
   * the last) and forgets its parent. Returns false when the parent exists but was not waiting for this job.
   *
   * @throws JobNotFoundException when this job or its parent does not exist
   */
  boolean removeChildDependency();

  /** As {@link #removeChildDependency}, without blocking. */
  CompletableFuture<Boolean> removeChildDependencyAsync();
}
