package io.bullpen.redis.internal.worker;

import io.bullpen.observe.AttemptOutcome;
import io.bullpen.redis.internal.settle.SettleOp;

/**
 * The move that settles one attempt and what listeners hear once it is done: {@code completed} with the result,
 * {@code failed} with the error (also for a retry), or nothing (the job went back to wait or to delayed without
 * using an attempt).
 */
record Settlement(ProcessingJob job, SettleOp op, Object result, Throwable error) {
  /** Tells the attempt's observers how it ended: as planned, or abandoned when the move failed ({@code moveFailure}). */
  void observe(Throwable moveFailure) {
    job.observed().settled(moveFailure != null ? AttemptOutcome.ABANDONED : outcome(),
        moveFailure != null ? moveFailure : error);
  }

  private AttemptOutcome outcome() {
    return switch (op.kind()) {
      case 'c' -> AttemptOutcome.COMPLETED;
      case 'f' -> AttemptOutcome.FAILED;
      case 'd', 'r' -> AttemptOutcome.RETRIED;
      case 'w', 'l' -> AttemptOutcome.REQUEUED;
      default -> AttemptOutcome.ABANDONED;
    };
  }

  void announce(WorkerEvents events) {
    if (error != null) {
      events.failed(job, error);
    } else if (op.kind() == 'c') {
      events.completed(job, result);
    }
  }
}
