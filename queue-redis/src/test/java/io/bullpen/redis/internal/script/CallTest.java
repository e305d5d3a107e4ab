package io.bullpen.redis.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.BullpenException;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobNotFoundException;
import io.bullpen.QueueConnectionException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Call}'s two forms over one future, without Redis: the futures stand in for Lettuce's. */
class CallTest {
  private final List<String> told = new CopyOnWriteArrayList<>();

  private Call<Integer> replying(CompletableFuture<Integer> reply) {
    return Call.of("test", 1_000, () -> reply).map(n -> n * 2)
        .onSuccess(n -> told.add("ok " + n + " on " + Thread.currentThread().getName()))
        .onFailure(e -> told.add("failed " + e.getClass().getSimpleName()));
  }

  @Test
  void bothFormsRunTheSameStartAndMapAndTellTheHooksOnce() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    Call<Integer> call = Call.of("test", 1_000, () -> {
      starts.incrementAndGet();
      return CompletableFuture.supplyAsync(() -> 20);
    }).map(n -> n + 1).onSuccess(n -> told.add("first " + n)).onSuccess(n -> told.add("second " + n));
    assertEquals(21, call.join());
    assertEquals(21, call.async().get(1, TimeUnit.SECONDS));
    assertEquals(2, starts.get());
    assertEquals(List.of("first 21", "second 21", "first 21", "second 21"), told);
  }

  @Test
  void joinTellsHooksOnTheCallersThreadAndAsyncBeforeItsFutureCompletes() throws Exception {
    CompletableFuture<Integer> later = new CompletableFuture<>();
    CompletableFuture<Integer> result = replying(later).async();
    assertTrue(told.isEmpty());
    Thread completer = new Thread(() -> later.complete(4), "io-thread");
    completer.start();
    assertEquals(8, result.get(1, TimeUnit.SECONDS));
    assertEquals(List.of("ok 8 on io-thread"), told);

    told.clear();
    CompletableFuture<Integer> other = new CompletableFuture<>();
    new Thread(() -> other.complete(5), "io-thread").start();
    assertEquals(10, replying(other).join());
    assertEquals(List.of("ok 10 on " + Thread.currentThread().getName()), told);
  }

  @Test
  void failuresAreTranslatedAlikeInBothFormsAndOnlyFailureHooksRun() {
    RedisCommandExecutionException refused = new RedisCommandExecutionException("WRONGTYPE nope");
    BullpenException thrown = assertThrows(BullpenException.class,
        () -> replying(CompletableFuture.failedFuture(refused)).join());
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> replying(CompletableFuture.failedFuture(refused)).async().get(1, TimeUnit.SECONDS));
    assertEquals(BullpenException.class, e.getCause().getClass());
    assertEquals(thrown.getMessage(), e.getCause().getMessage());
    assertSame(refused, thrown.getCause());
    assertEquals(List.of("failed BullpenException", "failed BullpenException"), told);

    JobNotFoundException missing = new JobNotFoundException("q", "7", "promote");
    CompletableFuture<Integer> failedInMap = CompletableFuture.completedFuture(1);
    Call<Integer> checked = Call.of("test", 1_000, () -> failedInMap).map(n -> {
      throw missing;
    });
    assertSame(missing, assertThrows(JobNotFoundException.class, checked::join));
    assertSame(missing, assertThrows(ExecutionException.class, () -> checked.async().get()).getCause());

    assertInstanceOf(QueueConnectionException.class, assertThrows(ExecutionException.class,
        () -> replying(CompletableFuture.failedFuture(new RedisCommandTimeoutException("slow"))).async().get())
        .getCause());
  }

  @Test
  void argumentChecksThrowAtOnceWhileARefusedSendFailsTheFuture() {
    Call<Integer> invalid = Call.of("test", 1_000, () -> {
      throw new InvalidOptionException("jobId", null, "must not be null");
    });
    assertThrows(InvalidOptionException.class, invalid::async);
    assertThrows(InvalidOptionException.class, invalid::join);

    Call<Integer> refused = Call.of("test", 1_000, () -> {
      throw new RedisException("Connection is closed");
    });
    CompletableFuture<Integer> future = refused.async();
    assertInstanceOf(QueueConnectionException.class,
        assertThrows(ExecutionException.class, () -> future.get(1, TimeUnit.SECONDS)).getCause());
    assertThrows(QueueConnectionException.class, refused::join);
  }

  @Test
  void aReplyLaterThanTheBoundFailsBothFormsWithQueueConnectionException() {
    Call<Integer> never = Call.of("test", 50, CompletableFuture::new);
    assertThrows(QueueConnectionException.class, never::join);
    assertInstanceOf(QueueConnectionException.class,
        assertThrows(ExecutionException.class, () -> never.async().get(1, TimeUnit.SECONDS)).getCause());
  }

  @Test
  void aLoopRunsStepsUntilOneAnswersFalseAndStopsAtTheFirstFailure() throws Exception {
    AtomicInteger steps = new AtomicInteger();
    // 5000 hops over the common pool: seconds on a loaded 2-core machine; the bound only catches a stuck loop.
    AsyncLoop.whileTrue(() -> CompletableFuture.supplyAsync(() -> steps.incrementAndGet() < 5000))
        .get(60, TimeUnit.SECONDS);
    assertEquals(5000, steps.get());

    steps.set(0);
    CompletableFuture<Void> failing = AsyncLoop.whileTrue(() -> {
      if (steps.incrementAndGet() == 3) {
        return CompletableFuture.failedFuture(new IllegalStateException("step 3"));
      }
      return CompletableFuture.completedFuture(true);
    });
    assertEquals("step 3", assertThrows(ExecutionException.class, failing::get).getCause().getMessage());
    assertEquals(3, steps.get());
    assertFalse(failing.isCancelled());

    steps.set(0);
    AsyncLoop.whileTrue(() -> CompletableFuture.completedFuture(steps.incrementAndGet() < 100_000)).get();
    assertEquals(100_000, steps.get(), "steps done at once are looped, not recursed into");
  }
}
