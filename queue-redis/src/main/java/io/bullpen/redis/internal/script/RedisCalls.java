package io.bullpen.redis.internal.script;

import io.bullpen.BullpenException;
import io.bullpen.QueueConnectionException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for Redis replies and turns Lettuce's failures into Bullpen's exception tree. */
public final class RedisCalls {
  /** Error replies meaning Redis did not run the command now but will take it again soon. */
  private static final List<String> PASSING_REFUSALS =
      List.of("LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "READONLY", "NOREPLICAS");

  private RedisCalls() {}

  /** Waits for {@code stage} at most {@code timeoutMillis} and returns its value. */
  public static <T> T await(CompletionStage<T> stage, long timeoutMillis, String what) {
    try {
      return stage.toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BullpenException("interrupted while waiting for Redis (" + what + ")", e);
    } catch (TimeoutException e) {
      throw new QueueConnectionException("Redis did not answer within " + timeoutMillis + " ms (" + what + ")", e);
    } catch (ExecutionException | CompletionException e) {
      throw translate(e.getCause() == null ? e : e.getCause(), what);
    } catch (CancellationException e) {
      throw new QueueConnectionException("Redis call cancelled (" + what + ")", e);
    }
  }

  /**
   * Waits for {@code stage} without a bound of its own: for operations of several round trips, each of which the
   * client's command timeout bounds already.
   */
  public static <T> T awaitUnbounded(CompletionStage<T> stage, String what) {
    try {
      return stage.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BullpenException("interrupted while waiting for Redis (" + what + ")", e);
    } catch (ExecutionException | CompletionException e) {
      throw translate(e.getCause() == null ? e : e.getCause(), what);
    } catch (CancellationException e) {
      throw new QueueConnectionException("Redis call cancelled (" + what + ")", e);
    }
  }

  /** Maps a failure of a Redis call to a {@link BullpenException}. */
  public static RuntimeException translate(Throwable error, String what) {
    Throwable cause = unwrap(error);
    if (cause instanceof BullpenException be) {
      return be;
    }
    if (cause instanceof TimeoutException) {
      return new QueueConnectionException("Redis did not answer in time (" + what + ")", cause);
    }
    if (cause instanceof CancellationException) {
      return new QueueConnectionException("Redis call cancelled (" + what + ")", cause);
    }
    if (cause instanceof RedisCommandTimeoutException || cause instanceof RedisConnectionException
        || cause instanceof IOException) {
      return new QueueConnectionException("Redis unreachable (" + what + "): " + cause.getMessage(), cause);
    }
    if (cause instanceof RedisCommandExecutionException) {
      return new BullpenException("Redis refused " + what + ": " + cause.getMessage(), cause);
    }
    if (cause instanceof RedisException) {
      return new QueueConnectionException("Redis error (" + what + "): " + cause.getMessage(), cause);
    }
    if (cause instanceof RuntimeException re) {
      return re;
    }
    return new BullpenException("Redis call failed (" + what + "): " + cause, cause);
  }

  /** Whether {@code error} means Redis is (temporarily) unreachable, so retrying later makes sense. */
  public static boolean isConnectionProblem(Throwable error) {
    Throwable cause = unwrap(error);
    return cause instanceof QueueConnectionException || cause instanceof RedisConnectionException
        || cause instanceof RedisCommandTimeoutException
        || (cause instanceof RedisException && !(cause instanceof RedisCommandExecutionException));
  }

  /**
   * Whether the call certainly did not run: there was no connection to send it on, or Redis refused it for a
   * passing reason (loading its data set, busy with a script, a failover or resharding in progress). Sending it
   * again later is safe for any call.
   */
  public static boolean neverRan(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisConnectionException) {
        return true;
      }
      String message = cause.getMessage();
      if (cause instanceof RedisCommandExecutionException && message != null) {
        return PASSING_REFUSALS.stream().anyMatch(code -> message.equals(code) || message.startsWith(code + " "));
      }
      if (cause instanceof RedisException && message != null && message.contains("not connected")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the call may or may not have run: it was sent, and then the connection dropped or the reply did not
   * come within the timeout. Only a call that is safe to run twice may be sent again.
   */
  public static boolean mayHaveRun(Throwable error) {
    if (neverRan(error)) {
      return false;
    }
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisCommandExecutionException) {
        return false;
      }
      if (cause instanceof RedisCommandTimeoutException || cause instanceof TimeoutException
          || cause instanceof IOException || cause instanceof RedisException) {
        return true;
      }
    }
    return error instanceof QueueConnectionException;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
