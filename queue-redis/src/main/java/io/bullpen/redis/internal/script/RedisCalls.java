package io.bullpen.redis.internal.script;

import io.bullpen.BullpenException;
import io.bullpen.QueueConnectionException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for Redis replies and turns Lettuce's failures into Bullpen's exception tree. */
public final class RedisCalls {
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
    if (cause instanceof RedisCommandTimeoutException || cause instanceof RedisConnectionException) {
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

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
