package io.bullpen.redis.internal.worker;

import io.bullpen.JobOutcome;
import io.bullpen.observe.AttemptOutcome;
import io.bullpen.redis.internal.script.ChildrenPendingException;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.ScriptErrors;
import io.bullpen.redis.internal.settle.BatchScripts;
import io.bullpen.redis.internal.settle.CompletionBatcher;
import io.bullpen.redis.internal.settle.FetchResult;
import io.bullpen.redis.internal.settle.SettleOp;
import io.bullpen.redis.internal.settle.WorkerScripts;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * How a per-job worker settles an attempt once its processor returned: the planned move in Redis (completions
 * grouped by the {@link CompletionBatcher} and sent without waiting, the other moves through {@link FinalMoves}),
 * then the job's observers and listeners, and the successor a move fetched for the same slot.
 */
final class AttemptSettler {
  private final WorkerScripts scripts;
  private final BatchScripts batch;
  private final WorkerState state;
  private final WorkerEvents events;
  private final JobStarts starts;
  private final SettlePlanner planner;
  private final FinalMoves moves;
  private final FetchLoop fetchLoop;
  private final CompletionBatcher completions;
  private final Clock clock;

  AttemptSettler(WorkerCore core, CompletionBatcher completions) {
    this.scripts = core.scripts();
    this.batch = core.batchScripts();
    this.state = core.state();
    this.events = core.events();
    this.starts = core.starts();
    this.planner = core.planner();
    this.moves = core.moves();
    this.fetchLoop = core.fetchLoop();
    this.completions = completions;
    this.clock = core.options().clock();
  }

  /** A job a move handed back for the same slot, and the token it is locked with. */
  record Next(FetchResult fetched, String token) {}

  /**
   * Records the attempt's outcome in Redis: done at once with the slot's next job (or null), or, for a completion
   * on its way, waiting for its reply and then for the rest to run.
   */
  Finish finish(ProcessingJob job, Object value, Throwable error) {
    boolean waiting = false;
    try {
      starts.end(job);
      if (state.isForced()) {
        // Abandoned by a forced close: the job stays active and is recovered as stalled, as close(true) promises.
        starts.untrack(job.id(), JobStarts.token(job.redisJob()));
        job.observed().settled(AttemptOutcome.ABANDONED, error);
        return Finish.done(null);
      }
      Settlement settlement = planner.plan(job, error != null ? JobOutcome.failed(error) : JobOutcome.completed(value));
      if (settlement == null) {
        // The processor parked the job (e.g. in waiting-children) with its lock; nothing is left to finish.
        starts.untrack(job.id(), JobStarts.token(job.redisJob()));
        job.observed().settled(AttemptOutcome.PARKED, null);
        return Finish.done(null);
      }
      if (settlement.op().kind() != 'c') {
        return Finish.done(settle(settlement, null));
      }
      CompletableFuture<CompletionBatcher.Completion> reply = sendCompletion(settlement);
      if (reply.isDone()) {
        return Finish.done(afterCompletion(settlement, reply));
      }
      waiting = true;
      return new Finish(null, reply, () -> {
        try {
          return afterCompletion(settlement, reply);
        } finally {
          state.releaseJobs(1);
        }
      });
    } finally {
      if (!waiting) {
        state.releaseJobs(1);
      }
    }
  }

  /**
   * How an attempt's move ended: {@code next} now, or once {@code reply} is in, what {@code rest} returns (run on
   * the executor).
   */
  record Finish(Next next, CompletableFuture<?> reply, Supplier<Next> rest) {
    static Finish done(Next next) {
      return new Finish(next, null, null);
    }

    boolean waiting() {
      return reply != null;
    }
  }

  /** Settles as planned, waiting for Redis; a completion whose first send failed with {@code firstFailure} goes on. */
  private Next settle(Settlement settlement, RuntimeException firstFailure) {
    SettleOp op = settlement.op();
    starts.finishing(op.jobId(), op.token());
    settlement.job().observed().settling();
    List<String> ids = List.of(op.jobId());
    Next next = null;
    boolean moved = false;
    RuntimeException failure = null;
    try {
      next = switch (op.kind()) {
        case 'c' -> completeRetrying(op, ids, firstFailure);
        case 'w' -> {
          long ttl = moves.run(ids, false, token -> scripts.moveJobFromActiveToWait(op.jobId(), op.token()),
              () -> 0L).value();
          if (ttl > 0) {
            state.rateLimitedFor(ttl);
          }
          yield null;
        }
        case 'f', 'd' -> moveWithFetch(op, ids);
        case 'r' -> {
          moves.run(ids, false, token -> {
            scripts.retryJob(op.jobId(), op.token(), op.number() == 1, clock.millis(), failureFields(op));
            return null;
          }, () -> null);
          yield null;
        }
        default -> {
          FinalMoves.Sent<Long> sent = moves.run(ids, false,
              token -> batch.settle(List.of(op), 0, "0", 0, clock.millis()).codes()[0], null);
          if (!(sent.resent() && sent.value() == ScriptErrors.JOB_NOT_FOUND)) {
            scripts.checkCode(sent.value(), op.jobId(), "settleJobs(" + op.kind() + ")");
          }
          yield null;
        }
      };
      moved = true;
    } catch (ChildrenPendingException e) {
      starts.untrack(op.jobId(), op.token());
      return settle(planner.failure(settlement.job(), e), null);
    } catch (RuntimeException e) {
      failure = e;
      events.error(e);
    } finally {
      starts.untrack(op.jobId(), op.token());
    }
    settlement.observe(failure);
    if (moved || op.kind() != 'c') {
      settlement.announce(events);
    }
    return next;
  }

  /**
   * Sends a completion without waiting, grouped with others ending at about the same time (group commit); it may
   * take the job's successor. The reply comes on a Redis I/O thread.
   */
  private CompletableFuture<CompletionBatcher.Completion> sendCompletion(Settlement settlement) {
    SettleOp op = settlement.op();
    starts.finishing(op.jobId(), op.token());
    settlement.job().observed().settling();
    boolean fetch = state.mayFetchNext() && state.beginFetch();
    CompletableFuture<CompletionBatcher.Completion> reply;
    try {
      reply = completions.submit(op.fetchingNext(fetch));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    if (!fetch) {
      return reply;
    }
    // Counted as held before the fetch ends, so pause-and-wait cannot miss the successor.
    return reply.whenComplete((done, error) -> {
      try {
        if (error == null && done.next().hasJob()) {
          state.holdJobs(1);
        }
      } finally {
        state.endFetch();
      }
    });
  }

  /** What follows a completion's first send: the bookkeeping {@link #settle} does, or a retry if it failed. */
  private Next afterCompletion(Settlement settlement, CompletableFuture<CompletionBatcher.Completion> reply) {
    CompletionBatcher.Completion done;
    try {
      done = reply.join();
    } catch (CompletionException e) {
      return settle(settlement, RedisCalls.translate(JobRunner.unwrap(e), completions.what()));
    }
    SettleOp op = settlement.op();
    starts.untrack(op.jobId(), op.token());
    settlement.observe(null);
    settlement.announce(events);
    return completed(done);
  }

  /** Sends the completion until it gets through, as {@link FinalMoves} does (after a failed first send, if any). */
  private Next completeRetrying(SettleOp op, List<String> ids, RuntimeException firstFailure) {
    FinalMoves.Send<CompletionBatcher.Completion> send = token -> state.fetchingIfAllowed(
        fetch -> completions.complete(op.fetchingNext(fetch)), c -> c.next().hasJob() ? 1 : 0);
    Supplier<CompletionBatcher.Completion> whenGone =
        () -> new CompletionBatcher.Completion(FetchResult.nothing(), null, false);
    CompletionBatcher.Completion done = firstFailure == null
        ? moves.run(ids, false, send, whenGone).value()
        : moves.afterFailure(ids, false, send, whenGone, firstFailure, null).value();
    return completed(done);
  }

  private Next completed(CompletionBatcher.Completion done) {
    if (done.lookedForNext() && !done.next().hasJob() && done.next().rateLimitTtlMillis() == 0) {
      fetchLoop.markDrained();
    }
    return next(done.next(), done.nextToken());
  }

  /** Fails for good ({@code f}) or retries after a backoff ({@code d}), taking the next job in the same call. */
  private Next moveWithFetch(SettleOp op, List<String> ids) {
    FinalMoves.Sent<FetchResult> sent = moves.run(ids, true, nextToken -> state.fetchingIfAllowed(fetch ->
        op.kind() == 'f'
            ? scripts.moveToFinished(op.jobId(), op.token(), nextToken, false, op.value(), op.keep(), op.attempts(),
                fetch, clock.millis(), List.of("stacktrace", op.stacktrace()))
            : scripts.moveToDelayed(op.jobId(), op.token(), nextToken, op.number(), fetch, clock.millis(),
                failureFields(op)),
        f -> f.hasJob() ? 1 : 0), FetchResult::nothing);
    return next(sent.value(), sent.fetchToken());
  }

  private static List<String> failureFields(SettleOp op) {
    return op.clearCancel()
        ? List.of("failedReason", op.value(), "stacktrace", op.stacktrace(), JobStarts.CANCEL_FIELD, "")
        : List.of("failedReason", op.value(), "stacktrace", op.stacktrace());
  }

  private Next next(FetchResult fetched, String token) {
    if (fetched.hasJob()) {
      return new Next(fetched, token);
    }
    fetchLoop.observe(fetched.rateLimitTtlMillis(), fetched.nextDelayedDueMillis());
    return null;
  }
}
