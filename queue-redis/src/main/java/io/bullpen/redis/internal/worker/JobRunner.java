package io.bullpen.redis.internal.worker;

import io.bullpen.BullpenException;
import io.bullpen.CancellationToken;
import io.bullpen.Job;
import io.bullpen.JobCancelledException;
import io.bullpen.KeepJobs;
import io.bullpen.UnrecoverableError;
import io.bullpen.RateLimitError;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.job.JobBackend;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.script.ChildrenPendingException;
import io.bullpen.redis.internal.settle.CompletionBatcher;
import io.bullpen.redis.internal.settle.FailurePlanner;
import io.bullpen.redis.internal.settle.FetchResult;
import io.bullpen.redis.internal.settle.WorkerScripts;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs fetched jobs through the processor on the worker's executor and moves each to its next state: completed,
 * retried (delayed or straight back to wait), failed, or returned to wait when rate limited. While a finishing
 * call hands back the next job, the same slot goes on with it; when the chain ends, the slot is released.
 */
public final class JobRunner {
  private static final long FIRST_RETRY_PAUSE_MILLIS = 100;
  /** Job hash fields written by the cancelJob script: the reason, and "1" when a retry is allowed. */
  static final String CANCEL_FIELD = "bpcancel";
  static final String CANCEL_RETRY_FIELD = "bpcancelretry";
  private static final long LONGEST_RETRY_PAUSE_MILLIS = 5_000;

  private final WorkerScripts scripts;
  private final WorkerState state;
  private final WorkerEvents events;
  private final LockRenewer renewer;
  private final FailurePlanner planner;
  private final Executor executor;
  private final Function<Job, CompletionStage<?>> processor;
  private final Supplier<String> tokens;
  private final Consumer<FetchResult> fetchObserver;
  private final JobBackend backend;
  private final CompletionBatcher completions;
  private final KeepJobs keepCompleted;
  private final KeepJobs keepFailed;
  private final OptionalInt maxStartedAttempts;
  private final Clock clock;
  private final Function<Job, ?> onStart;
  private final AtomicInteger running = new AtomicInteger();
  private volatile Runnable emptyFetch = () -> { };
  private final RunningAttempts attempts;

  /** The settings of the worker that runs the jobs. */
  public record Settings(KeepJobs keepCompleted, KeepJobs keepFailed, OptionalInt maxStartedAttempts,
      Clock clock) {}

  /**
   * @param renewer lock renewal, or null when the worker skips it
   * @param processor starts a job; a synchronous processor returns an already completed stage
   * @param fetchObserver told about rate limits and delayed due times seen when fetching a next job
   * @param backend what fetched jobs use for progress, logs and lock extension (null: detached jobs)
   * @param completions where successful jobs are completed (grouped with others ending at the same time)
   * @param onStart run for each job before its processor (creates a job scheduler's next iteration); its
   *     failure is reported and the job runs anyway
   */
  public JobRunner(WorkerScripts scripts, WorkerState state, WorkerEvents events, LockRenewer renewer,
      FailurePlanner planner, Executor executor, Function<Job, CompletionStage<?>> processor,
      Supplier<String> tokens, Consumer<FetchResult> fetchObserver, JobBackend backend,
      CompletionBatcher completions, Settings settings, RunningAttempts attempts, Function<Job, ?> onStart) {
    this.attempts = attempts;
    this.scripts = scripts;
    this.state = state;
    this.events = events;
    this.renewer = renewer;
    this.planner = planner;
    this.executor = executor;
    this.processor = processor;
    this.tokens = tokens;
    this.fetchObserver = fetchObserver;
    this.backend = backend;
    this.completions = completions;
    this.keepCompleted = settings.keepCompleted();
    this.keepFailed = settings.keepFailed();
    this.maxStartedAttempts = settings.maxStartedAttempts();
    this.clock = settings.clock();
    this.onStart = onStart;
  }

  /** Told when a completion asked for a successor and Redis had none to give. */
  public void onEmptyFetch(Runnable emptyFetch) {
    this.emptyFetch = emptyFetch;
  }

  /** Jobs between their fetch and the end of their final Redis move. */
  public int running() {
    return running.get();
  }

  /** Runs a job the caller fetched with {@code token} and holds a slot for; the slot is released at the end. */
  public void start(FetchResult fetched, String token) {
    try {
      executor.execute(() -> runChain(fetched, token));
    } catch (RejectedExecutionException e) {
      giveBack(fetched.jobId(), token);
      events.error(e);
      state.releaseSlot();
    }
  }

  private void runChain(FetchResult fetched, String token) {
    FetchResult current = fetched;
    String currentToken = token;
    while (current != null) {
      RedisJob fetchedJob = new RedisJob(current.jobId(), scripts.keys().queueName(), current.fields(), backend,
          currentToken);
      ProcessingJob job = new ProcessingJob(fetchedJob, events,
          attempts.begin(fetchedJob.id(), fetchedJob.options().keepLogs().orElse(null)));
      Next next = null;
      try {
        CompletableFuture<Object> attempt = begin(job);
        if (!attempt.isDone()) {
          attempt.whenComplete((value, error) -> continueLater(job, value, error));
          return;
        }
        Object value = null;
        Throwable error = null;
        try {
          value = attempt.getNow(null);
        } catch (CompletionException e) {
          error = unwrap(e);
        }
        next = finish(job, value, error);
      } catch (RuntimeException e) {
        events.error(e);
      }
      current = next == null ? null : next.fetched;
      currentToken = next == null ? null : next.token;
    }
    state.releaseSlot();
  }

  private void continueLater(ProcessingJob job, Object value, Throwable error) {
    Runnable rest = () -> {
      Next next;
      try {
        next = finish(job, value, unwrap(error));
      } catch (RuntimeException e) {
        events.error(e);
        next = null;
      }
      if (next != null) {
        runChain(next.fetched, next.token);
      } else {
        state.releaseSlot();
      }
    };
    try {
      executor.execute(rest);
    } catch (RejectedExecutionException e) {
      rest.run();
    }
  }

  private CompletableFuture<Object> begin(ProcessingJob job) {
    running.incrementAndGet();
    RedisJob redisJob = job.redisJob();
    if (renewer != null) {
      renewer.track(job.id(), token(redisJob));
    }
    if (redisJob.repeatJobKey().isPresent()) {
      // As BullMQ's workers: a scheduler's next run is created when the current one starts.
      try {
        onStart.apply(redisJob);
      } catch (RuntimeException e) {
        events.error(new BullpenException("could not create the next run of job scheduler "
            + redisJob.repeatJobKey().get() + " after job " + job.id() + ": " + e.getMessage(), e));
      }
    }
    events.active(job);
    if (redisJob.deferredFailure().isPresent()) {
      return CompletableFuture.failedFuture(new UnrecoverableError(redisJob.deferredFailure().get()));
    }
    String cancelReason = redisJob.rawFields().get(CANCEL_FIELD);
    if (cancelReason != null && !cancelReason.isEmpty()) {
      // Cancelled before any worker took it.
      job.attempt().signal().cancel(cancelReason, "1".equals(redisJob.rawFields().get(CANCEL_RETRY_FIELD)));
      return CompletableFuture.failedFuture(new JobCancelledException(cancelReason, job.attempt().signal().retry()));
    }
    if (maxStartedAttempts.isPresent() && redisJob.attemptsStarted() > maxStartedAttempts.getAsInt()) {
      return CompletableFuture.failedFuture(new UnrecoverableError("job started more than allowable limit"));
    }
    try {
      CompletionStage<?> stage = processor.apply(job);
      if (stage == null) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Object> result = new CompletableFuture<>();
      stage.whenComplete((value, error) -> {
        if (error != null) {
          result.completeExceptionally(unwrap(error));
        } else {
          result.complete(value);
        }
      });
      return result;
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
        throw vme;
      }
      return CompletableFuture.failedFuture(t);
    }
  }

  /** Records the attempt's outcome in Redis; returns the next job handed back, or null. */
  private Next finish(ProcessingJob job, Object value, Throwable error) {
    attempts.end(job.attempt());
    try {
      return settle(job, value, error);
    } finally {
      running.decrementAndGet();
    }
  }

  private Next settle(ProcessingJob job, Object value, Throwable error) {
    if (job.movedByProcessor()) {
      // The processor parked the job (e.g. in waiting-children) with its lock; nothing is left to finish.
      untrack(job.id(), token(job.redisJob()));
      return null;
    }
    if (error != null) {
      return fail(job, error);
    }
    String resultJson;
    try {
      resultJson = Json.resultToJson(value);
    } catch (RuntimeException e) {
      return fail(job, e);
    }
    RedisJob redisJob = job.redisJob();
    String token = token(redisJob);
    KeepJobs keep = redisJob.options().removeOnComplete().orElse(keepCompleted);
    markFinishing(job.id(), token);
    // A cancel the processor ignored is cleared, so that a later retry of the completed job runs.
    List<String> clearCancel = redisJob.rawFields().containsKey(CANCEL_FIELD) || job.cancellation().isCancelled()
        ? List.of(CANCEL_FIELD, "") : List.of();
    CompletionBatcher.Completion done;
    try {
      if (clearCancel.isEmpty()) {
        // Completions of jobs ending at about the same time share one script call (group commit).
        done = withRedisRetries(() -> maybeFetching(fetchNext -> completions.complete(job.id(), token,
            resultJson, keep, redisJob.options().attempts(), fetchNext)));
      } else {
        String nextToken = tokens.get();
        FetchResult fetched = withRedisRetries(() -> maybeFetching(fetchNext -> scripts.moveToFinished(job.id(),
            token, nextToken, true, resultJson, keep, redisJob.options().attempts(), fetchNext, clock.millis(),
            clearCancel)));
        done = new CompletionBatcher.Completion(fetched, nextToken, false);
      }
    } catch (ChildrenPendingException e) {
      return fail(job, e);
    } catch (RuntimeException e) {
      untrack(job.id(), token);
      events.error(e);
      return null;
    }
    untrack(job.id(), token);
    events.completed(job, value);
    if (done.lookedForNext() && !done.next().hasJob() && done.next().rateLimitTtlMillis() == 0) {
      emptyFetch.run();
    }
    return next(done.next(), done.nextToken());
  }

  private Next fail(ProcessingJob job, Throwable failure) {
    RedisJob redisJob = job.redisJob();
    Throwable error = asCancellation(job, failure);
    String token = token(redisJob);
    markFinishing(job.id(), token);
    if (error instanceof RateLimitError || RateLimitError.MESSAGE.equals(error.getMessage())) {
      try {
        long ttl = withRedisRetries(() -> scripts.moveJobFromActiveToWait(job.id(), token));
        if (ttl > 0) {
          state.rateLimitedFor(ttl);
        }
      } catch (RuntimeException e) {
        events.error(e);
      } finally {
        untrack(job.id(), token);
      }
      return null;
    }

    String reason = FailurePlanner.reason(error);
    String stacktrace = FailurePlanner.stacktraceJson(redisJob, error);
    int attemptsMade = redisJob.attemptsMade() + 1;
    long delay = FailurePlanner.NO_RETRY;
    boolean unrecoverable = error instanceof ChildrenPendingException pending && pending.childrenFailed()
        || error instanceof JobCancelledException cancelled && !cancelled.retry();
    if (!unrecoverable) {
      try {
        delay = planner.retryDelay(job, attemptsMade, error);
      } catch (RuntimeException e) {
        events.error(e);
      }
    }
    Next next = null;
    try {
      if (delay == FailurePlanner.NO_RETRY) {
        KeepJobs keep = redisJob.options().removeOnFail().orElse(keepFailed);
        String nextToken = tokens.get();
        FetchResult fetched = withRedisRetries(() -> maybeFetching(fetchNext -> scripts.moveToFinished(job.id(),
            token, nextToken, false, reason, keep, redisJob.options().attempts(), fetchNext, clock.millis(),
            List.of("stacktrace", stacktrace))));
        next = next(fetched, nextToken);
      } else {
        // A retry after a cancel must not be cancelled again when it is taken.
        List<String> fields = error instanceof JobCancelledException
            ? List.of("failedReason", reason, "stacktrace", stacktrace, CANCEL_FIELD, "")
            : List.of("failedReason", reason, "stacktrace", stacktrace);
        if (delay > 0) {
          long backoff = delay;
          String nextToken = tokens.get();
          FetchResult fetched = withRedisRetries(() -> maybeFetching(fetchNext -> scripts.moveToDelayed(job.id(),
              token, nextToken, backoff, fetchNext, clock.millis(), fields)));
          next = next(fetched, nextToken);
        } else {
          withRedisRetries(() -> {
            scripts.retryJob(job.id(), token, redisJob.options().lifo(), clock.millis(), fields);
            return null;
          });
        }
      }
    } catch (RuntimeException e) {
      events.error(e);
    } finally {
      untrack(job.id(), token);
    }
    events.failed(job, error);
    return next;
  }

  /** A failure after a cancel is reported as the cancel, with its reason. */
  private static Throwable asCancellation(ProcessingJob job, Throwable error) {
    CancellationToken token = job.cancellation();
    if (!token.isCancelled()) {
      return error;
    }
    // The signal knows whether the cancel allowed a retry; an exception made by throwIfCancelled does not.
    boolean retry = token instanceof CancelSignal signal && signal.retry();
    JobCancelledException cancelled = new JobCancelledException(token.reason().orElse("cancelled"), retry);
    if (!(error instanceof JobCancelledException)) {
      cancelled.initCause(error);
    }
    return cancelled;
  }

  /** Runs a finishing call, asking it for the next job only while the worker may take one. */
  private <T> T maybeFetching(Function<Boolean, T> call) {
    if (!state.mayFetchNext() || !state.beginFetch()) {
      return call.apply(false);
    }
    try {
      return call.apply(true);
    } finally {
      state.endFetch();
    }
  }

  private Next next(FetchResult fetched, String token) {
    if (fetched.hasJob()) {
      return new Next(fetched, token);
    }
    fetchObserver.accept(fetched);
    return null;
  }

  /** A job fetched but not run (the executor refused it) goes back to wait without using an attempt. */
  private void giveBack(String jobId, String token) {
    try {
      scripts.moveJobFromActiveToWait(jobId, token);
    } catch (RuntimeException e) {
      events.error(e);
    }
  }

  /**
   * Runs a finishing call, retrying while Redis is unreachable (the job stays locked and renewed meanwhile),
   * until it succeeds or the worker is force-closed. Only calls Redis never received are repeated: a call that
   * timed out may still run, and running a move twice would report a lock it had itself released as lost.
   */
  private <T> T withRedisRetries(Supplier<T> call) {
    return withRetries(call, state, events);
  }

  /** {@link #withRedisRetries} for other runners of the same worker state (the batch worker). */
  static <T> T withRetries(Supplier<T> call, WorkerState state, WorkerEvents events) {
    long pause = FIRST_RETRY_PAUSE_MILLIS;
    boolean reported = false;
    while (true) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (!neverSent(e) || state.isForced()) {
          throw e;
        }
        if (!reported) {
          events.error(e);
          reported = true;
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pause = Math.min(pause * 2, LONGEST_RETRY_PAUSE_MILLIS);
      }
    }
  }

  /** Whether the call failed before reaching Redis: no connection, or rejected while reconnecting. */
  static boolean neverSent(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisConnectionException) {
        return true;
      }
      if (cause instanceof RedisException && cause.getMessage() != null
          && cause.getMessage().contains("not connected")) {
        return true;
      }
    }
    return false;
  }

  private void markFinishing(String jobId, String token) {
    if (renewer != null) {
      renewer.finishing(jobId, token);
    }
  }

  private void untrack(String jobId, String token) {
    if (renewer != null) {
      renewer.untrack(jobId, token);
    }
  }

  private static String token(RedisJob job) {
    return job.lockToken().orElse("0");
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private record Next(FetchResult fetched, String token) {}
}
