package io.bullpen.redis.internal.worker;

import io.bullpen.CancellationToken;
import io.bullpen.JobCancelledException;
import io.bullpen.JobOutcome;
import io.bullpen.KeepJobs;
import io.bullpen.RateLimitError;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.script.ChildrenPendingException;
import io.bullpen.redis.internal.settle.FailurePlanner;
import io.bullpen.redis.internal.settle.SettleOp;

/**
 * Decides how an ended attempt is settled, with BullMQ's rules, for every worker kind: completed (with the keep
 * policy), retried after a backoff or at once, failed for good, or back to wait without using an attempt (a rate
 * limit, or a "retry later"). A failure after a cancel is the cancel, with its reason; a cancel that allows no
 * retry, and a parent whose children failed, fail for good.
 */
final class SettlePlanner {
  private final FailurePlanner failures;
  private final WorkerEvents events;
  private final KeepJobs keepCompleted;
  private final KeepJobs keepFailed;

  SettlePlanner(FailurePlanner failures, WorkerEvents events, KeepJobs keepCompleted, KeepJobs keepFailed) {
    this.failures = failures;
    this.events = events;
    this.keepCompleted = keepCompleted;
    this.keepFailed = keepFailed;
  }

  /** The settlement of {@code outcome}, or null when the processor moved the job itself (e.g. to wait for children). */
  Settlement plan(ProcessingJob job, JobOutcome outcome) {
    if (job.movedByProcessor()) {
      return null;
    }
    return switch (outcome.kind()) {
      case COMPLETED -> completion(job, outcome.result().orElse(null));
      case FAILED -> failure(job, outcome.error().orElseThrow());
      case RETRY_LATER -> retryLater(job, failures.cap(outcome.delay().toMillis()));
    };
  }

  private Settlement completion(ProcessingJob job, Object value) {
    String resultJson;
    try {
      resultJson = Json.resultToJson(value);
    } catch (RuntimeException e) {
      return failure(job, e);
    }
    RedisJob fetched = job.redisJob();
    SettleOp op = SettleOp.complete(job.id(), JobStarts.token(fetched), resultJson,
        fetched.options().removeOnComplete().orElse(keepCompleted), fetched.options().attempts(), false);
    // A cancel the processor ignored is cleared, so that a later retry of the completed job runs.
    boolean cancelled = fetched.rawFields().containsKey(JobStarts.CANCEL_FIELD) || job.cancellation().isCancelled();
    return new Settlement(job, cancelled ? op.clearingCancel() : op, value, null);
  }

  private Settlement retryLater(ProcessingJob job, long delayMillis) {
    if (job.cancellation().isCancelled()) {
      return failure(job, asCancellation(job, null));
    }
    String token = JobStarts.token(job.redisJob());
    SettleOp op = delayMillis > 0 ? SettleOp.later(job.id(), token, delayMillis) : SettleOp.backToWait(job.id(), token);
    return new Settlement(job, op, null, null);
  }

  /** The settlement of an attempt that ended with {@code failure}. */
  Settlement failure(ProcessingJob job, Throwable failure) {
    RedisJob fetched = job.redisJob();
    String token = JobStarts.token(fetched);
    Throwable error = asCancellation(job, failure);
    if (error instanceof RateLimitError || RateLimitError.MESSAGE.equals(error.getMessage())) {
      return new Settlement(job, SettleOp.backToWait(job.id(), token), null, null);
    }
    String reason = FailurePlanner.reason(error);
    String stacktrace = FailurePlanner.stacktraceJson(fetched, error);
    boolean unrecoverable = error instanceof ChildrenPendingException pending && pending.childrenFailed()
        || error instanceof JobCancelledException cancelled && !cancelled.retry();
    long delay = FailurePlanner.NO_RETRY;
    if (!unrecoverable) {
      try {
        delay = failures.retryDelay(job, fetched.attemptsMade() + 1, error);
      } catch (RuntimeException e) {
        events.error(e);
      }
    }
    SettleOp op;
    if (delay == FailurePlanner.NO_RETRY) {
      op = SettleOp.failFinally(job.id(), token, reason, stacktrace,
          fetched.options().removeOnFail().orElse(keepFailed), fetched.options().attempts());
    } else if (delay > 0) {
      op = SettleOp.retryAfter(job.id(), token, reason, stacktrace, delay);
    } else {
      op = SettleOp.retryNow(job.id(), token, reason, stacktrace, fetched.options().lifo());
    }
    // A retry after a cancel must not be cancelled again when it is taken.
    boolean retriedCancel = error instanceof JobCancelledException && op.kind() != 'f';
    return new Settlement(job, retriedCancel ? op.clearingCancel() : op, null, error);
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
    if (error != null && !(error instanceof JobCancelledException)) {
      cancelled.initCause(error);
    }
    return cancelled;
  }
}
