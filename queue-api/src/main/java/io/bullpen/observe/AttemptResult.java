package io.bullpen.observe;

import java.time.Duration;
import java.util.Optional;

/**
 * How an attempt ended.
 *
 * @param outcome what was written to Redis
 * @param error the processor's failure (also for {@link AttemptOutcome#RETRIED}), or why the move was {@link
 *     AttemptOutcome#ABANDONED}; null when there was none
 * @param processingTime from the processor's start to its end
 * @param settleTime how long writing the outcome to Redis took (zero when nothing was written)
 */
public record AttemptResult(AttemptOutcome outcome, Throwable error, Duration processingTime, Duration settleTime) {
  public Optional<Throwable> failure() {
    return Optional.ofNullable(error);
  }
}
