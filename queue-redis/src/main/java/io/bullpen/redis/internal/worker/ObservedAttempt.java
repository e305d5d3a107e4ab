package io.bullpen.redis.internal.worker;

import io.bullpen.observe.AttemptObservation;
import io.bullpen.observe.AttemptOutcome;
import io.bullpen.observe.AttemptResult;
import io.bullpen.observe.Scope;
import java.time.Duration;

/**
 * One attempt as its observers see it: the observation and the attempt's clock readings (start, end of
 * processing, start of the move), reported once with {@link #settled}. {@link #NONE} when nobody observes.
 */
final class ObservedAttempt {
  static final ObservedAttempt NONE = new ObservedAttempt(AttemptObservation.NONE);

  private final AttemptObservation observation;
  private final long startNanos = System.nanoTime();
  private volatile long processedNanos;
  private volatile long settlingNanos;
  private volatile boolean settled;

  ObservedAttempt(AttemptObservation observation) {
    this.observation = observation;
  }

  Scope enter() {
    return this == NONE ? Scope.NONE : observation.enter();
  }

  /** The processor ended (or the attempt was refused): the end of its processing time. */
  void processed() {
    if (this != NONE && processedNanos == 0) {
      processedNanos = System.nanoTime();
    }
  }

  /** The attempt's move is about to be written. */
  void settling() {
    if (this != NONE && settlingNanos == 0) {
      settlingNanos = System.nanoTime();
    }
  }

  /** Reports the outcome; only the first report of an attempt counts. */
  void settled(AttemptOutcome outcome, Throwable error) {
    if (this == NONE || settled) {
      return;
    }
    settled = true;
    long now = System.nanoTime();
    long processed = processedNanos != 0 ? processedNanos : now;
    long settling = settlingNanos != 0 ? settlingNanos : now;
    observation.settled(new AttemptResult(outcome, error, Duration.ofNanos(Math.max(0, processed - startNanos)),
        settlingNanos == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - settling))));
  }
}
