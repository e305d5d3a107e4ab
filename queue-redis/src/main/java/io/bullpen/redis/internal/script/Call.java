package io.bullpen.redis.internal.script;

import io.lettuce.core.RedisException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One Redis operation, not started yet, with both of its faces: {@link #async()} starts it and returns its
 * future; {@link #join()} starts the same future and waits for it. There is a single implementation (the
 * future-returning {@code start}, built on Lettuce's futures); the blocking form is only a wait, as Lettuce's
 * sync API is a proxy over its async one.
 *
 * <p>Both forms fail with the same Bullpen exceptions ({@link RedisCalls#translate}); argument checks made
 * before anything is sent throw at once in both. Hooks (listener notifications) run once per use, in the order
 * added: after {@link #join()} on the caller's thread, after {@link #async()} on the thread completing the
 * future (often a Redis I/O thread) just before the returned future completes. A failed call runs only its
 * failure hooks.
 */
public final class Call<T> {
  /** Bound of a call made of many round trips: each one is bounded by the client's command timeout instead. */
  public static final long PER_COMMAND = 0;

  private final String what;
  private final long boundMillis;
  /** Starts the operation; success hooks put what they will tell into the list, run once the call is over. */
  private final Function<List<Runnable>, CompletionStage<T>> start;
  private final Consumer<RuntimeException> onFailure;
  /** Last word on every failure, before the failure hooks see it (see {@link #guarded}). */
  private final UnaryOperator<RuntimeException> explain;

  private Call(String what, long boundMillis, Function<List<Runnable>, CompletionStage<T>> start,
      Consumer<RuntimeException> onFailure, UnaryOperator<RuntimeException> explain) {
    this.what = what;
    this.boundMillis = boundMillis;
    this.start = start;
    this.onFailure = onFailure;
    this.explain = explain;
  }

  /**
   * A call that runs {@code start} when used; {@code boundMillis} is how long either form waits at most
   * ({@link #PER_COMMAND} for operations of several round trips).
   */
  public static <T> Call<T> of(String what, long boundMillis, Supplier<? extends CompletionStage<T>> start) {
    return new Call<>(what, boundMillis, told -> start.get(), error -> {}, UnaryOperator.identity());
  }

  /** The same call with its reply turned into {@code mapper}'s result, in both forms. */
  public <R> Call<R> map(Function<? super T, ? extends R> mapper) {
    return new Call<R>(what, boundMillis, told -> start.apply(told).thenApply(mapper), onFailure, explain);
  }

  /** The same call, telling {@code hook} its value once it has succeeded. */
  public Call<T> onSuccess(Consumer<? super T> hook) {
    return new Call<>(what, boundMillis, told -> start.apply(told).thenApply(value -> {
      told.add(() -> hook.accept(value));
      return value;
    }), onFailure, explain);
  }

  /** The same call, telling {@code hook} the (translated) exception when it fails. */
  public Call<T> onFailure(Consumer<RuntimeException> hook) {
    Consumer<RuntimeException> first = onFailure;
    return new Call<>(what, boundMillis, start, error -> {
      first.accept(error);
      hook.accept(error);
    }, explain);
  }

  /**
   * The same call, running {@code precondition} (which may throw) each time it is started, and handing every
   * failure to {@code explainer}, which may replace it (a closed owner's {@link OpenState}).
   */
  public Call<T> guarded(Runnable precondition, UnaryOperator<RuntimeException> explainer) {
    UnaryOperator<RuntimeException> first = explain;
    return new Call<>(what, boundMillis, told -> {
      precondition.run();
      return start.apply(told);
    }, onFailure, error -> explainer.apply(first.apply(error)));
  }

  /** Starts the call and waits for its reply, within the bound. */
  public T join() {
    List<Runnable> told = new ArrayList<>(1);
    CompletionStage<T> stage = begin(told);
    T value;
    try {
      value = boundMillis > 0 ? RedisCalls.await(stage, boundMillis, what) : RedisCalls.awaitUnbounded(stage, what);
    } catch (RuntimeException e) {
      RuntimeException explained = explain.apply(e);
      onFailure.accept(explained);
      throw explained;
    }
    told.forEach(Runnable::run);
    return value;
  }

  /** Starts the call; the future completes with its reply or exceptionally with a Bullpen exception. */
  public CompletableFuture<T> async() {
    List<Runnable> told = new ArrayList<>(1);
    CompletableFuture<T> reply = begin(told).toCompletableFuture();
    if (boundMillis > 0) {
      reply = reply.orTimeout(boundMillis, TimeUnit.MILLISECONDS);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    reply.whenComplete((value, error) -> {
      if (error != null) {
        RuntimeException translated = explain.apply(RedisCalls.translate(error, what));
        try {
          onFailure.accept(translated);
        } finally {
          result.completeExceptionally(translated);
        }
      } else {
        try {
          told.forEach(Runnable::run);
        } finally {
          result.complete(value);
        }
      }
    });
    return result;
  }

  /**
   * Argument checks throw from here (explained, so a closed owner's call says so); a connection that refuses to
   * send becomes a failed reply.
   */
  private CompletionStage<T> begin(List<Runnable> told) {
    try {
      return start.apply(told);
    } catch (RedisException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      throw explain.apply(e);
    }
  }

  @Override
  public String toString() {
    return "Call{" + what + "}";
  }
}
