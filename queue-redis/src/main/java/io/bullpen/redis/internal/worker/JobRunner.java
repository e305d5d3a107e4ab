package io.bullpen.redis.internal.worker;

import io.bullpen.Job;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.settle.BatchScripts;
import io.bullpen.redis.internal.settle.ClaimedJobs;
import io.bullpen.redis.internal.settle.CompletionBatcher;
import io.bullpen.redis.internal.settle.FetchResult;
import io.bullpen.redis.internal.settle.WorkerScripts;
import io.bullpen.redis.internal.worker.AttemptSettler.Finish;
import io.bullpen.redis.internal.worker.AttemptSettler.Next;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link WorkSource} of a per-job worker: each job runs through the processor on the worker's executor in a
 * slot of its own and is then settled by the {@link AttemptSettler}. While a settling call hands back the next job,
 * the same slot goes on with it (on the executor, once Redis answered); when the chain ends, the slot is released.
 */
final class JobRunner implements WorkSource {
  private static final int MAX_CLAIM = 200;

  private final WorkerScripts scripts;
  private final BatchScripts batch;
  private final WorkerState state;
  private final WorkerEvents events;
  private final JobStarts starts;
  private final Executor executor;
  private final Function<Job, CompletionStage<?>> processor;
  private final WorkerCore core;
  private final AttemptSettler settler;
  private final long lockDurationMillis;
  private final Clock clock;

  /** @param processor starts a job; a synchronous processor returns an already completed stage */
  JobRunner(WorkerCore core, Function<Job, CompletionStage<?>> processor, CompletionBatcher completions) {
    this.core = core;
    this.scripts = core.scripts();
    this.batch = core.batchScripts();
    this.state = core.state();
    this.events = core.events();
    this.starts = core.starts();
    this.executor = core.executor();
    this.processor = processor;
    this.settler = new AttemptSettler(core, completions);
    this.lockDurationMillis = core.options().locks().duration().toMillis();
    this.clock = core.options().clock();
  }

  /**
   * One job with moveToActive; with several slots free (start-up, after an idle spell) one claim fills them all,
   * and the slots left unused are given back.
   */
  @Override
  public ClaimedJobs claim(String token) {
    int extra = state.acquireFreeSlots(MAX_CLAIM - 1);
    try {
      if (extra == 0) {
        return ClaimedJobs.of(scripts.moveToActive(token, clock.millis()));
      }
      ClaimedJobs claimed = batch.claim(token, 1 + extra, lockDurationMillis, clock.millis());
      state.releaseSlots(extra - Math.max(0, claimed.jobs().size() - 1));
      return claimed;
    } catch (RuntimeException e) {
      state.releaseSlots(extra);
      throw e;
    }
  }

  /** Each claimed job runs in a slot of its own: the loop's, then those {@link #claim} took. */
  @Override
  public void start(ClaimedJobs claimed, String token) {
    // Locks are renewed from the claim on, also for a job that waits for a processor thread.
    for (ClaimedJobs.Claimed job : claimed.jobs()) {
      starts.track(job.id(), token);
    }
    for (int i = 0; i < claimed.jobs().size(); i++) {
      start(claimed.asFetchResult(i), token);
    }
  }

  private void start(FetchResult fetched, String token) {
    try {
      executor.execute(() -> runChain(fetched, token));
    } catch (RejectedExecutionException e) {
      giveBack(fetched.jobId(), token);
      events.error(e);
      state.releaseJobs(1);
      state.releaseSlot();
    }
  }

  private void runChain(FetchResult fetched, String token) {
    FetchResult current = fetched;
    String currentToken = token;
    while (current != null) {
      ProcessingJob job = null;
      Next next = null;
      try {
        JobStarts.Started started = starts.begin(new RedisJob(current.jobId(), scripts.keys().queueName(),
            current.fields(), core.backend(), currentToken));
        job = started.job();
        CompletableFuture<Object> attempt = started.refusal() != null
            ? CompletableFuture.failedFuture(started.refusal()) : process(job);
        if (!attempt.isDone()) {
          ProcessingJob running = job;
          attempt.whenComplete((value, error) -> continueLater(running, value, error));
          return;
        }
        Object value = null;
        Throwable error = null;
        try {
          value = attempt.getNow(null);
        } catch (CompletionException e) {
          error = unwrap(e);
        }
        Finish finished = settler.finish(job, value, error);
        if (finished.waiting()) {
          // The thread goes back to the pool; the slot goes on once Redis answered.
          finished.reply().whenComplete((reply, ignored) -> goOn(finished.rest()));
          return;
        }
        next = finished.next();
      } catch (RuntimeException e) {
        events.error(e);
        if (job == null) {
          // Never began: its lock is no longer renewed, and a stalled check recovers it.
          starts.untrack(current.jobId(), currentToken);
          state.releaseJobs(1);
        }
      }
      current = next == null ? null : next.fetched();
      currentToken = next == null ? null : next.token();
    }
    state.releaseSlot();
  }

  private void continueLater(ProcessingJob job, Object value, Throwable error) {
    Runnable rest = () -> {
      Finish finished;
      try {
        finished = settler.finish(job, value, unwrap(error));
      } catch (RuntimeException e) {
        events.error(e);
        finished = Finish.done(null);
      }
      if (finished.waiting()) {
        Finish waiting = finished;
        waiting.reply().whenComplete((reply, ignored) -> goOn(waiting.rest()));
      } else {
        continueChain(finished.next());
      }
    };
    try {
      executor.execute(rest);
    } catch (RejectedExecutionException e) {
      rest.run();
    }
  }

  /**
   * The slot's next step once Redis answered its job's completion (called on a Redis I/O thread): what follows
   * the reply, listeners included, runs on the executor, and the slot goes on with the successor there.
   */
  private void goOn(Supplier<Next> rest) {
    try {
      executor.execute(() -> continueChain(runRest(rest)));
    } catch (RejectedExecutionException e) {
      // The worker is closing: finish the bookkeeping off the I/O thread and hand a successor back unrun.
      CompletableFuture.runAsync(() -> {
        Next next = runRest(rest);
        if (next != null) {
          giveBack(next.fetched().jobId(), next.token());
          state.releaseJobs(1);
        }
        state.releaseSlot();
      });
    }
  }

  private Next runRest(Supplier<Next> rest) {
    try {
      return rest.get();
    } catch (RuntimeException e) {
      events.error(e);
      return null;
    }
  }

  private void continueChain(Next next) {
    if (next != null) {
      runChain(next.fetched(), next.token());
    } else {
      state.releaseSlot();
    }
  }

  private CompletableFuture<Object> process(ProcessingJob job) {
    try (JobContext context = JobContext.enter(job)) {
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

  /** A job fetched but not run (the executor refused it) goes back to wait without using an attempt. */
  private void giveBack(String jobId, String token) {
    try {
      scripts.moveJobFromActiveToWait(jobId, token);
    } catch (RuntimeException e) {
      events.error(e);
    } finally {
      starts.untrack(jobId, token);
    }
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

}
