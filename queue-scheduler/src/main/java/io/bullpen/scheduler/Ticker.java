package io.bullpen.scheduler;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a {@link QueueScheduler} reads the time and how it waits for it, in the spirit of Caffeine's
 * {@code Ticker}: the system clock in production, a hand-moved one in tests, so that promotions, stalled checks
 * and schedules can be checked without sleeping.
 *
 * <p>Times are epoch milliseconds of the client's clock, the same values Bullpen writes to Redis.
 */
public interface Ticker {
  /** Now, in epoch milliseconds. */
  long millis();

  /**
   * Parks the calling thread until {@link #millis()} reaches {@code deadlineMillis}. It may return earlier: when
   * another thread calls {@link LockSupport#unpark} on it (which is how a scheduler is woken), on interrupt, or
   * spuriously; callers check the time again.
   */
  void parkUntil(long deadlineMillis);

  /** The system clock ({@link Clock#systemUTC()}), waiting with sub-millisecond precision. */
  static Ticker system() {
    return of(Clock.systemUTC());
  }

  /** A ticker reading {@code clock} and waiting in real time for the difference to the deadline. */
  static Ticker of(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return new Ticker() {
      @Override
      public long millis() {
        return clock.millis();
      }

      @Override
      public void parkUntil(long deadlineMillis) {
        Instant now = clock.instant();
        long nanos = TimeUnit.MILLISECONDS.toNanos(deadlineMillis - now.getEpochSecond() * 1000)
            - now.getNano();
        if (nanos > 0) {
          LockSupport.parkNanos(this, nanos);
        }
      }

      @Override
      public String toString() {
        return "Ticker.of(" + clock + ")";
      }
    };
  }
}
