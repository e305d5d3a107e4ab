package io.bullpen.redis.internal.worker;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.function.Supplier;

/**
 * Runs a job's final Redis move, retrying while Redis is unreachable (the job stays locked and renewed meanwhile),
 * until it succeeds or the worker is force-closed. Only calls Redis never received are repeated: a call that timed
 * out may still run, and running a move twice would report a lock it had itself released as lost.
 */
final class FinalMoves {
  private static final long FIRST_RETRY_PAUSE_MILLIS = 100;
  private static final long LONGEST_RETRY_PAUSE_MILLIS = 5_000;

  private final WorkerState state;
  private final WorkerEvents events;

  FinalMoves(WorkerState state, WorkerEvents events) {
    this.state = state;
    this.events = events;
  }

  <T> T run(Supplier<T> move) {
    long pause = FIRST_RETRY_PAUSE_MILLIS;
    boolean reported = false;
    while (true) {
      try {
        return move.get();
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
}
