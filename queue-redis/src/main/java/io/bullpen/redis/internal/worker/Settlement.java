package io.bullpen.redis.internal.worker;

import io.bullpen.redis.internal.settle.SettleOp;

/**
 * The move that settles one attempt and what listeners hear once it is done: {@code completed} with the result,
 * {@code failed} with the error (also for a retry), or nothing (the job went back to wait or to delayed without
 * using an attempt).
 */
record Settlement(ProcessingJob job, SettleOp op, Object result, Throwable error) {
  void announce(WorkerEvents events) {
    if (error != null) {
      events.failed(job, error);
    } else if (op.kind() == 'c') {
      events.completed(job, result);
    }
  }
}
