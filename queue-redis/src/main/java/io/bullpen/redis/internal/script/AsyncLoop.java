package io.bullpen.redis.internal.script;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Repeats an asynchronous step (one round trip) until it answers false. Each step starts from the callback of the
 * one before, so a loop of thousands of steps neither blocks a thread nor nests thousands of futures; a step that
 * is already done is followed in a plain loop rather than by recursion.
 */
public final class AsyncLoop {
  private AsyncLoop() {}

  /** Runs {@code step} while it answers true; the future fails with the first failed step. */
  public static CompletableFuture<Void> whileTrue(Supplier<? extends CompletionStage<Boolean>> step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    next(step, done);
    return done;
  }

  private static void next(Supplier<? extends CompletionStage<Boolean>> step, CompletableFuture<Void> done) {
    while (true) {
      CompletableFuture<Boolean> current;
      try {
        current = step.get().toCompletableFuture();
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      if (!current.isDone()) {
        current.whenComplete((again, error) -> {
          if (error != null) {
            done.completeExceptionally(error);
          } else if (Boolean.TRUE.equals(again)) {
            next(step, done);
          } else {
            done.complete(null);
          }
        });
        return;
      }
      boolean again;
      try {
        again = Boolean.TRUE.equals(current.join());
      } catch (CompletionException e) {
        done.completeExceptionally(e.getCause() == null ? e : e.getCause());
        return;
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      if (!again) {
        done.complete(null);
        return;
      }
    }
  }
}
