package io.bullpen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void fixedBackoffWaitsTheSameBeforeEveryRetry() {
    Backoff fixed = Backoff.fixed(1500);
    assertEquals(1500, fixed.builtInDelay(1, 0.3));
    assertEquals(1500, fixed.builtInDelay(7, 0.9));
  }

  @Test
  void exponentialBackoffDoublesPerAttempt() {
    Backoff exponential = Backoff.exponential(1000);
    assertEquals(1000, exponential.builtInDelay(1, 0));
    assertEquals(2000, exponential.builtInDelay(2, 0));
    assertEquals(4000, exponential.builtInDelay(3, 0));
    assertEquals(8000, exponential.builtInDelay(4, 0));
  }

  @Test
  void jitterUsesBullmqFormula() {
    // floor(random * base * jitter + base * (1 - jitter))
    assertEquals(500, Backoff.fixed(1000).withJitter(0.5).builtInDelay(1, 0.0));
    assertEquals(750, Backoff.fixed(1000).withJitter(0.5).builtInDelay(1, 0.5));
    assertEquals(3000, Backoff.exponential(1000).withJitter(0.5).builtInDelay(3, 0.5));
  }

  @Property
  void jitteredDelayStaysWithinItsWindow(@ForAll @LongRange(min = 0, max = 1_000_000) long delay,
      @ForAll @DoubleRange(min = 0, max = 1) double jitter,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random,
      @ForAll @IntRange(min = 1, max = 10) int attempt) {
    Backoff backoff = Backoff.exponential(delay).withJitter(jitter);
    long max = Math.round(Math.pow(2, attempt - 1) * delay);
    long value = backoff.builtInDelay(attempt, random);
    org.junit.jupiter.api.Assertions.assertTrue(value <= max, () -> value + " > " + max);
    org.junit.jupiter.api.Assertions.assertTrue(value >= (long) Math.floor(max * (1 - jitter)),
        () -> value + " below window");
  }
}
