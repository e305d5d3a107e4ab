package io.bullpen.redis.internal.worker;

import io.bullpen.BatchOptions;
import io.bullpen.BatchProcessor;
import io.bullpen.BullpenException;
import io.bullpen.Job;
import io.bullpen.JobOutcome;
import io.bullpen.observe.AttemptOutcome;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.script.ChildrenPendingException;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.ScriptErrors;
import io.bullpen.redis.internal.settle.BatchScripts;
import io.bullpen.redis.internal.settle.ClaimedJobs;
import io.bullpen.redis.internal.settle.SettleOp;
import io.bullpen.redis.internal.settle.WorkerScripts;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@link WorkSource} of a {@link io.bullpen.redis.BatchWorker}: a claim for as many jobs as fit starts a
 * batch, then, while it is not full and its wait is not over, further claims at growing intervals (1, 2, 4 … ms)
 * fill it. A batch runs on the executor in one slot, and its outcomes are written with one {@code settleJobs} call
 * that also claims the next batch, which the same thread runs at once.
 */
final class BatchRunner implements WorkSource {
  private static final long LONGEST_FILL_POLL_MILLIS = 50;

  private final BatchScripts scripts;
  private final WorkerScripts workerScripts;
  private final WorkerCore core;
  private final WorkerState state;
  private final WorkerEvents events;
  private final JobStarts starts;
  private final SettlePlanner planner;
  private final FinalMoves moves;
  private final BatchProcessor processor;
  private final Clock clock;
  private final int size;
  private final long maxWaitMillis;
  private final long lockDurationMillis;

  /** A batch being collected or run: its jobs, all locked with one token. */
  private static final class Batch {
    final String token;
    final List<RedisJob> jobs = new ArrayList<>();
    long deadline;

    Batch(String token) {
      this.token = token;
    }
  }

  BatchRunner(WorkerCore core, BatchProcessor processor, BatchOptions batch) {
    this.core = core;
    this.scripts = core.batchScripts();
    this.workerScripts = core.scripts();
    this.state = core.state();
    this.events = core.events();
    this.starts = core.starts();
    this.planner = core.planner();
    this.moves = core.moves();
    this.processor = processor;
    this.clock = core.options().clock();
    this.size = batch.size();
    this.maxWaitMillis = batch.maxWait().toMillis();
    this.lockDurationMillis = core.options().locks().duration().toMillis();
  }

  @Override
  public ClaimedJobs claim(String token) {
    return scripts.claim(token, size, lockDurationMillis, clock.millis());
  }

  /** Fills the batch on the fetching thread, then runs it on the executor. */
  @Override
  public void start(ClaimedJobs claimed, String token) throws InterruptedException {
    Batch batch = new Batch(token);
    add(batch, claimed);
    boolean started = false;
    try {
      fill(batch);
      core.executor().execute(() -> runChain(batch));
      started = true;
    } catch (RejectedExecutionException e) {
      events.error(e);
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
      if (state.isClosing() || !state.beginFetch()) {
        return;
      }
      try {
        ClaimedJobs claimed;
        try {
          claimed = scripts.claim(batch.token, size - batch.jobs.size(), lockDurationMillis, clock.millis());
        } catch (RuntimeException e) {
          if (RedisCalls.mayHaveRun(e)) {
            core.orphans().suspect(batch.token);
          }
          throw e;
        }
        state.holdJobs(claimed.jobs().size());
        add(batch, claimed);
        core.fetchLoop().observe(claimed.rateLimitTtlMillis(), claimed.nextDelayedDueMillis());
      } finally {
        state.endFetch();
      }
      poll *= 2;
    }
  }

  private void add(Batch batch, ClaimedJobs claimed) {
    String queue = scripts.keys().queueName();
    for (ClaimedJobs.Claimed c : claimed.jobs()) {
      batch.jobs.add(new RedisJob(c.id(), queue, c.fields(), core.backend(), batch.token));
      starts.track(c.id(), batch.token);
    }
  }

  private void runChain(Batch first) {
    Batch batch = first;
    try {
      while (batch != null) {
        Batch next = runOne(batch);
        batch = next;
        if (next != null && next.jobs.size() < size && maxWaitMillis > 0) {
          fill(next);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      giveBack(batch);
    } catch (RuntimeException e) {
      events.error(e);
      giveBack(batch);
    } finally {
      state.releaseSlot();
    }
  }

  /** Processes one batch and settles it; returns the next batch claimed in the same call, or null. */
  private Batch runOne(Batch batch) {
    List<Settlement> settlements = new ArrayList<>(batch.jobs.size());
    List<ProcessingJob> runnable = new ArrayList<>(batch.jobs.size());
    try {
      for (RedisJob fetched : batch.jobs) {
        JobStarts.Started started = starts.begin(fetched);
        if (started.refusal() != null) {
          starts.end(started.job());
          settlements.add(planner.failure(started.job(), started.refusal()));
        } else {
          runnable.add(started.job());
        }
      }
      List<JobOutcome> outcomes = process(runnable);
      for (int i = 0; i < runnable.size(); i++) {
        ProcessingJob job = runnable.get(i);
        starts.end(job);
        Settlement settlement = planner.plan(job, outcomes.get(i));
        if (settlement == null) {
          // The processor parked the job (e.g. in waiting-children) with its lock; nothing is left to settle.
          starts.untrack(job.id(), batch.token);
          job.observed().settled(AttemptOutcome.PARKED, null);
        } else {
          settlements.add(settlement);
        }
      }
      if (state.isForced()) {
        // Abandoned by a forced close: the jobs stay active and are recovered as stalled, as close(true) promises.
        for (RedisJob fetched : batch.jobs) {
          starts.untrack(fetched.id(), batch.token);
        }
        for (Settlement settlement : settlements) {
          settlement.job().observed().settled(AttemptOutcome.ABANDONED, settlement.error());
        }
        return null;
      }
      return settle(settlements, batch.token, true);
    } finally {
      state.releaseJobs(batch.jobs.size());
      batch.jobs.clear();
    }
  }

  /**
   * Writes the settlements with one {@code settleJobs} call, claiming the next batch with it when {@code claimNext}
   * and the worker may take more. A completion refused because of its children is settled as a failure after.
   */
  private Batch settle(List<Settlement> settlements, String token, boolean claimNext) {
    List<SettleOp> ops = new ArrayList<>(settlements.size());
    for (Settlement settlement : settlements) {
      ops.add(settlement.op());
      starts.finishing(settlement.op().jobId(), token);
      settlement.job().observed().settling();
    }
    List<String> ids = ops.stream().map(SettleOp::jobId).toList();
    FinalMoves.Sent<BatchScripts.Settled> sent;
    try {
      sent = moves.run(ids, claimNext, nextToken -> claimNext
          ? state.fetchingIfAllowed(fetch -> scripts.settle(ops, fetch ? size : 0, nextToken, lockDurationMillis,
              clock.millis()), s -> s.claimed().jobs().size())
          : scripts.settle(ops, 0, nextToken, lockDurationMillis, clock.millis()), null);
    } catch (RuntimeException e) {
      for (Settlement settlement : settlements) {
        settlement.observe(e);
      }
      throw e;
    } finally {
      for (SettleOp op : ops) {
        starts.untrack(op.jobId(), token);
      }
    }
    BatchScripts.Settled settled = sent.value();
    String nextToken = sent.fetchToken();
    List<Settlement> refused = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      long code = settled.codes()[i];
      // After a send that may have run, a missing job is one that send removed (its keep policy).
      if (ScriptErrors.moved(code) || (sent.resent() && code == ScriptErrors.JOB_NOT_FOUND)) {
        settlements.get(i).observe(null);
        settlements.get(i).announce(events);
        continue;
      }
      try {
        workerScripts.checkCode(code, ops.get(i).jobId(), "settleJobs(" + ops.get(i).kind() + ")");
        settlements.get(i).observe(null);
      } catch (ChildrenPendingException e) {
        refused.add(planner.failure(settlements.get(i).job(), e));
      } catch (RuntimeException e) {
        settlements.get(i).observe(e);
        events.error(e);
      }
    }
    if (!refused.isEmpty()) {
      settle(refused, token, false);
    }
    ClaimedJobs claimed = settled.claimed();
    core.fetchLoop().observe(claimed.rateLimitTtlMillis(), claimed.nextDelayedDueMillis());
    if (claimed.jobs().isEmpty()) {
      return null;
    }
    Batch next = new Batch(nextToken);
    add(next, claimed);
    return next;
  }

  private List<JobOutcome> process(List<ProcessingJob> jobs) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    List<JobOutcome> outcomes;
    try {
      outcomes = processor.process(List.<Job>copyOf(jobs));
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
        throw vme;
      }
      return Collections.nCopies(jobs.size(), JobOutcome.failed(t));
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
      return Collections.nCopies(jobs.size(), JobOutcome.failed(wrong));
    }
    return outcomes;
  }

  /** Jobs claimed into a batch that will not run go back to the front of wait without using an attempt. */
  private void giveBack(Batch batch) {
    if (batch == null || batch.jobs.isEmpty()) {
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
        starts.untrack(job.id(), batch.token);
      }
      state.releaseJobs(batch.jobs.size());
      batch.jobs.clear();
    }
  }
}
