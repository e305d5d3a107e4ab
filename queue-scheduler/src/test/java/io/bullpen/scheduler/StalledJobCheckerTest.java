package io.bullpen.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class StalledJobCheckerTest {
  private final List<String> stalled = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();

  private StalledJobChecker checker(StalledJobOperations operations, long intervalMillis) {
    return new StalledJobChecker("test-stalled", operations, Duration.ofMillis(intervalMillis), stalled::add,
        errors::add);
  }

  @Test
  void checksOnceAtStartAndThenEveryInterval() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    long started = System.nanoTime();
    List<Long> at = new CopyOnWriteArrayList<>();
    try (StalledJobChecker checker = checker(() -> {
      at.add(System.nanoTime() - started);
      checks.incrementAndGet();
      return List.of();
    }, 200)) {
      checker.start();
      await(() -> checks.get() >= 3);
    }
    assertTrue(TimeUnit.NANOSECONDS.toMillis(at.get(0)) < 150, "first check right away");
    assertTrue(TimeUnit.NANOSECONDS.toMillis(at.get(2) - at.get(1)) >= 150, "then once per interval");
  }

  @Test
  void reportsEveryJobTheCheckMovedBack() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    try (StalledJobChecker checker = checker(() -> checks.incrementAndGet() == 1 ? List.of("7", "9") : List.of(),
        50)) {
      checker.start();
      await(() -> checks.get() >= 2);
    }
    assertEquals(List.of("7", "9"), stalled);
    assertTrue(errors.isEmpty());
  }

  @Test
  void failingCheckIsReportedAndTheCheckerGoesOn() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    try (StalledJobChecker checker = checker(() -> {
      if (checks.incrementAndGet() <= 2) {
        throw new IllegalStateException("redis away");
      }
      return List.of("3");
    }, 30)) {
      checker.start();
      await(() -> stalled.contains("3"));
    }
    assertEquals(2, errors.size());
    assertEquals("redis away", errors.get(0).getMessage());
  }

  @Test
  void throwingCallbacksDoNotStopTheChecker() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    try (StalledJobChecker checker = new StalledJobChecker("test-stalled", () -> {
      if (checks.incrementAndGet() % 2 == 0) {
        throw new IllegalStateException("check failed");
      }
      return List.of("1");
    }, Duration.ofMillis(20), id -> {
      throw new IllegalStateException("listener bug");
    }, error -> {
      throw new IllegalStateException("listener bug");
    })) {
      checker.start();
      await(() -> checks.get() >= 4);
    }
  }

  @Test
  void stopSuspendsChecksAndStartResumesThem() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    try (StalledJobChecker checker = checker(() -> {
      checks.incrementAndGet();
      return List.of();
    }, 50)) {
      checker.start();
      await(() -> checks.get() >= 1);
      checker.stop();
      assertFalse(checker.isRunning());
      Thread.sleep(100);
      int afterStop = checks.get();
      Thread.sleep(200);
      assertEquals(afterStop, checks.get());
      checker.start();
      assertTrue(checker.isRunning());
      await(() -> checks.get() > afterStop);
    }
  }

  @Test
  void closedCheckerCannotStartAgainAndCheckNowRunsOnTheCaller() {
    StalledJobChecker checker = checker(() -> List.of("5"), 1000);
    assertEquals(List.of("5"), checker.checkNow());
    assertEquals(List.of("5"), stalled);
    checker.close();
    checker.close();
    assertThrows(IllegalStateException.class, checker::start);
  }

  @Test
  void intervalMustBeAtLeastOneMillisecond() {
    InvalidOptionException e = assertThrows(InvalidOptionException.class,
        () -> checker(List::of, 0));
    assertEquals("stalledInterval", e.field());
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(10);
    }
  }
}
