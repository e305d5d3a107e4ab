package io.bullpen;

/**
 * A fixed-window rate limit: at most {@code max} jobs started per {@code durationMillis}, across every worker
 * of the queue (BullMQ's {@code limiter}).
 */
public record Limiter(int max, long durationMillis) {
  public Limiter {
    if (max <= 0) {
      throw new InvalidOptionException("limiter.max", max, "must be > 0");
    }
    TimeLimits.requireMillis("limiter.duration", durationMillis, 1);
  }
}
