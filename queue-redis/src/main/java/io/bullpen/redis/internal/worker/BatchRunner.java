package io.bullpen.redis.internal.worker;

import io.bullpen.BatchProcessor;
import io.bullpen.BullpenException;
import io.bullpen.Job;
import io.bullpen.JobOutcome;
import io.bullpen.KeepJobs;
import io.bullpen.UnrecoverableError;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.job.JobBackend;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.settle.BatchScripts;
import io.bullpen.redis.internal.settle.ClaimedJobs;
import io.bullpen.redis.internal.settle.FailurePlanner;
import io.bullpen.redis.internal.settle.SettleOp;
import io.bullpen.redis.internal.settle.WorkerScripts;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fetch loop and batch execution of a {@link io.bullpen.redis.BatchWorker}. The loop thread fills a batch:
 * one claim for as many jobs as fit, then, while the batch is not full and its wait is not over, further claims
 * at growing intervals (1, 2, 4 … ms); with nothing to run at all it blocks on the queue's marker like a worker.
 * A full (or timed-out) batch runs on the executor, and its outcome is written with one {@code settleJobs} call
 * that also claims the next batch, which the same thread runs at once when it came back full. Each slot of
 * {@code concurrency} holds one batch.
 */
public final class BatchRunner implements Runnable {
  private static final long FIRST_ERROR_PAUSE_MILLIS = 100;
  private static final long LONGEST_ERROR_PAUSE_MILLIS = 5_000;
  private static final long STATE_CHECK_MILLIS = 1_000;
  private static final long LONGEST_FILL_POLL_MILLIS = 50;

  private final BatchScripts scripts;
  private final WorkerScripts workerScripts;
  private final WorkerState state;
  private final MarkerWaiter markerWaiter;
  private final WorkerEvents events;
  private final LockRenewer renewer;
  private final FailurePlanner planner;
  private final Executor executor;
  private final BatchProcessor processor;
  private final Supplier<String> tokens;
  private final JobBackend backend;
  private final Clock clock;
  private final int size;
  private final long maxWaitMillis;
  private final long lockDurationMillis;
  private final long maximumRateLimitDelayMillis;
  private final KeepJobs keepCompleted;
  private final KeepJobs keepFailed;
  private final OptionalInt maxStartedAttempts;
  private final Function<Job, ?> onStart;
  private volatile long nextDelayedDue;
  private boolean drainedReported;

  /** The worker-level settings a batch runner needs. */
  public record Settings(int size, long maxWaitMillis, long lockDurationMillis, long maximumRateLimitDelayMillis,
      KeepJobs keepCompleted, KeepJobs keepFailed, OptionalInt maxStartedAttempts, Clock clock) {}

  /** A batch being collected or run: its jobs, all locked with one token. */
  private static final class Batch {
    final String token;
    final List<RedisJob> jobs = new ArrayList<>();
    long deadline;

    Batch(String token) {
      this.token = token;
    }
  }

  public BatchRunner(BatchScripts scripts, WorkerScripts workerScripts, WorkerState state, MarkerWaiter markerWaiter,
      WorkerEvents events, LockRenewer renewer, FailurePlanner planner, Executor executor, BatchProcessor processor,
      Supplier<String> tokens, JobBackend backend, Settings settings, Function<Job, ?> onStart) {
    this.onStart = onStart;
    this.scripts = scripts;
    this.workerScripts = workerScripts;
    this.state = state;
    this.markerWaiter = markerWaiter;
    this.events = events;
    this.renewer = renewer;
    this.planner = planner;
    this.executor = executor;
    this.processor = processor;
    this.tokens = tokens;
    this.backend = backend;
    this.clock = settings.clock();
    this.size = settings.size();
    this.maxWaitMillis = settings.maxWaitMillis();
    this.lockDurationMillis = settings.lockDurationMillis();
    this.maximumRateLimitDelayMillis = settings.maximumRateLimitDelayMillis();
    this.keepCompleted = settings.keepCompleted();
    this.keepFailed = settings.keepFailed();
    this.maxStartedAttempts = settings.maxStartedAttempts();
  }

  @Override
  public void run() {
    long errorPause = FIRST_ERROR_PAUSE_MILLIS;
    while (!state.isClosing()) {
      try {
        if (state.isPaused()) {
          state.awaitNotPaused(STATE_CHECK_MILLIS);
          continue;
        }
        long limited = state.rateLimitRemainingMillis();
        if (limited > 0) {
          state.pauseFor(Math.min(limited, maximumRateLimitDelayMillis));
          continue;
        }
        if (!state.acquireSlot(STATE_CHECK_MILLIS)) {
          continue;
        }
        collectAndStart();
        errorPause = FIRST_ERROR_PAUSE_MILLIS;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (state.isClosing()) {
          return;
        }
        events.error(e);
        try {
          state.pauseFor(errorPause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        errorPause = Math.min(errorPause * 2, LONGEST_ERROR_PAUSE_MILLIS);
      }
    }
  }

  /** With a slot taken: collects one batch and starts it, or gives the slot back. */
  private void collectAndStart() throws InterruptedException {
    Batch batch = new Batch(tokens.get());
    boolean started = false;
    try {
      while (batch.jobs.isEmpty()) {
        if (state.isClosing() || state.isPaused() || state.rateLimitRemainingMillis() > 0) {
          return;
        }
        claimInto(batch);
        if (batch.jobs.isEmpty()) {
          if (!drainedReported) {
            drainedReported = true;
            events.drained();
          }
          if (state.rateLimitRemainingMillis() > 0) {
            return;
          }
          markerWaiter.await(nextDelayedDue, () -> state.isClosing() || state.isPaused());
        }
      }
      drainedReported = false;
      fill(batch);
      started = true;
      start(batch);
    } finally {
      if (!started) {
        giveBack(batch);
        state.releaseSlot();
      }
    }
  }

  /** Claims more jobs into {@code batch} until it is full or its wait is over, polling at growing intervals. */
  private void fill(Batch batch) throws InterruptedException {
    if (batch.deadline == 0) {
      batch.deadline = clock.millis() + maxWaitMillis;
    }
    long poll = 1;
    while (batch.jobs.size() < size && !state.isClosing()) {
      long left = batch.deadline - clock.millis();
      if (left <= 0) {
        return;
      }
      state.pauseFor(Math.min(Math.min(poll, left), LONGEST_FILL_POLL_MILLIS));
      if (state.isClosing()) {
        return;
      }
      claimInto(batch);
      poll *= 2;
    }
  }

  private void claimInto(Batch batch) {
    int wanted = size - batch.jobs.size();
    ClaimedJobs claimed = scripts.claim(batch.token, wanted, lockDurationMillis, clock.millis());
    observe(claimed);
    add(batch, claimed);
  }

  private void add(Batch batch, ClaimedJobs claimed) {
    String queue = scripts.keys().queueName();
    for (ClaimedJobs.Claimed c : claimed.jobs()) {
      batch.jobs.add(new RedisJob(c.id(), queue, c.fields(), backend, batch.token));
      if (renewer != null) {
        renewer.track(c.id(), batch.token);
      }
    }
  }

  private void observe(ClaimedJobs claimed) {
    if (claimed.rateLimitTtlMillis() > 0) {
      state.rateLimitedFor(claimed.rateLimitTtlMillis());
    }
    nextDelayedDue = claimed.nextDelayedDueMillis();
  }

  /** Runs the batch on the executor; the slot it holds is released when its chain ends. */
  private void start(Batch batch) {
    try {
      executor.execute(() -> runChain(batch));
    } catch (RejectedExecutionException e) {
      events.error(e);
      giveBack(batch);
      state.releaseSlot();
    }
  }

  private void runChain(Batch first) {
    Batch batch = first;
    try {
      while (batch != null) {
        batch = runOne(batch);
        if (batch != null && batch.jobs.size() < size && maxWaitMillis > 0) {
          fill(batch);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      events.error(e);
    } finally {
      state.releaseSlot();
    }
  }

  /** Processes one batch and settles it; returns the next batch claimed in the same call, or null. */
  private Batch runOne(Batch batch) {
    List<Job> runnable = new ArrayList<>(batch.jobs.size());
    List<SettleOp> ops = new ArrayList<>(batch.jobs.size());
    List<Runnable> notices = new ArrayList<>(batch.jobs.size());
    List<RedisJob> settledJobs = new ArrayList<>(batch.jobs.size());
    for (RedisJob job : batch.jobs) {
      if (job.repeatJobKey().isPresent()) {
        // As BullMQ's workers: a scheduler's next run is created when the current one starts.
        try {
          onStart.apply(job);
        } catch (RuntimeException e) {
          events.error(new BullpenException("could not create the next run of job scheduler "
              + job.repeatJobKey().get() + " after job " + job.id() + ": " + e.getMessage(), e));
        }
      }
      events.active(job);
      String refusal = refusal(job);
      if (refusal != null) {
        UnrecoverableError error = new UnrecoverableError(refusal);
        ops.add(failure(job, batch.token, error));
        notices.add(() -> events.failed(job, error));
        settledJobs.add(job);
      } else {
        runnable.add(job);
      }
    }
    List<JobOutcome> outcomes = process(runnable);
    for (int i = 0; i < runnable.size(); i++) {
      RedisJob job = (RedisJob) runnable.get(i);
      JobOutcome outcome = outcomes.get(i);
      settledJobs.add(job);
      switch (outcome.kind()) {
        case COMPLETED -> {
          String json;
          try {
            json = Json.resultToJson(outcome.result().orElse(null));
          } catch (RuntimeException e) {
            ops.add(failure(job, batch.token, e));
            notices.add(() -> events.failed(job, e));
            continue;
          }
          ops.add(SettleOp.complete(job.id(), batch.token, json,
              job.options().removeOnComplete().orElse(keepCompleted), job.options().attempts(), false));
          Object result = outcome.result().orElse(null);
          notices.add(() -> events.completed(job, result));
        }
        case FAILED -> {
          Throwable error = outcome.error().orElseThrow();
          ops.add(failure(job, batch.token, error));
          notices.add(() -> events.failed(job, error));
        }
        case RETRY_LATER -> {
          long delay = outcome.delay().toMillis();
          ops.add(delay > 0 ? SettleOp.later(job.id(), batch.token, delay)
              : SettleOp.backToWait(job.id(), batch.token));
          notices.add(() -> { });
        }
      }
    }
    for (RedisJob job : settledJobs) {
      if (renewer != null) {
        renewer.finishing(job.id(), batch.token);
      }
    }
    boolean fetchNext = state.mayFetchNext();
    String nextToken = tokens.get();
    BatchScripts.Settled settled;
    try {
      settled = JobRunner.withRetries(() -> scripts.settle(ops, fetchNext ? size : 0, nextToken,
          lockDurationMillis, clock.millis()), state, events);
    } finally {
      for (RedisJob job : settledJobs) {
        if (renewer != null) {
          renewer.untrack(job.id(), batch.token);
        }
      }
    }
    for (int i = 0; i < ops.size(); i++) {
      long code = settled.codes()[i];
      if (code < 0) {
        try {
          workerScripts.checkCode(code, ops.get(i).jobId(), "settleJobs(" + ops.get(i).kind() + ")");
        } catch (RuntimeException e) {
          events.error(e);
        }
      } else {
        notices.get(i).run();
      }
    }
    observe(settled.claimed());
    if (settled.claimed().jobs().isEmpty()) {
      return null;
    }
    Batch next = new Batch(nextToken);
    add(next, settled.claimed());
    return next;
  }

  private List<JobOutcome> process(List<Job> jobs) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    List<JobOutcome> outcomes;
    try {
      outcomes = processor.process(List.copyOf(jobs));
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
        throw vme;
      }
      return everyJob(jobs.size(), JobOutcome.failed(t));
    }
    int nulls = 0;
    if (outcomes != null) {
      for (JobOutcome outcome : outcomes) {
        nulls += outcome == null ? 1 : 0;
      }
    }
    if (outcomes == null || outcomes.size() != jobs.size() || nulls > 0) {
      BullpenException wrong = new BullpenException("the batch processor returned "
          + (outcomes == null ? "null" : outcomes.size() + " outcome(s)" + (nulls > 0 ? " with nulls" : ""))
          + " for " + jobs.size() + " job(s)");
      return everyJob(jobs.size(), JobOutcome.failed(wrong));
    }
    return outcomes;
  }

  private static List<JobOutcome> everyJob(int count, JobOutcome outcome) {
    List<JobOutcome> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      all.add(outcome);
    }
    return all;
  }

  /** Why a job must fail without running (a deferred failure, too many starts), or null. */
  private String refusal(RedisJob job) {
    if (job.deferredFailure().isPresent()) {
      return job.deferredFailure().get();
    }
    if (maxStartedAttempts.isPresent() && job.attemptsStarted() > maxStartedAttempts.getAsInt()) {
      return "job started more than allowable limit";
    }
    return null;
  }

  private SettleOp failure(RedisJob job, String token, Throwable error) {
    String reason = FailurePlanner.reason(error);
    String stacktrace = FailurePlanner.stacktraceJson(job, error);
    long delay = FailurePlanner.NO_RETRY;
    try {
      delay = planner.retryDelay(job, job.attemptsMade() + 1, error);
    } catch (RuntimeException e) {
      events.error(e);
    }
    if (delay == FailurePlanner.NO_RETRY) {
      return SettleOp.failFinally(job.id(), token, reason, stacktrace,
          job.options().removeOnFail().orElse(keepFailed), job.options().attempts());
    }
    if (delay > 0) {
      return SettleOp.retryAfter(job.id(), token, reason, stacktrace, delay);
    }
    return SettleOp.retryNow(job.id(), token, reason, stacktrace, job.options().lifo());
  }

  /** Jobs claimed into a batch that will not run go back to the front of wait without using an attempt. */
  private void giveBack(Batch batch) {
    if (batch.jobs.isEmpty()) {
      return;
    }
    List<SettleOp> ops = new ArrayList<>(batch.jobs.size());
    for (RedisJob job : batch.jobs) {
      ops.add(SettleOp.backToWait(job.id(), batch.token));
    }
    try {
      scripts.settle(ops, 0, "0", 0, clock.millis());
    } catch (RuntimeException e) {
      events.error(e);
    } finally {
      for (RedisJob job : batch.jobs) {
        if (renewer != null) {
          renewer.untrack(job.id(), batch.token);
        }
      }
    }
  }
}
