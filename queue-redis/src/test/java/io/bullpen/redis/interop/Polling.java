package io.bullpen.redis.interop;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling, so timed assertions need no fixed sleeps. */
final class Polling {
  private static final long INTERVAL_MILLIS = 25;

  private Polling() {}

  static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatWasSeen) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + whatWasSeen.get());
      }
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }
  }
}
