package io.bullpen;

import java.time.Duration;
import java.time.Instant;

/**
 * The range of times and delays a queue holds exactly. A delayed job is scored {@code due × 4096 + sequence} in
 * BullMQ's {@code delayed} set, and Redis scores are doubles, exact up to 2^53: so a due time must stay at or
 * before {@link #MAX_EPOCH_MILLIS} (2^41 - 1 ms, 2039-09-07T15:47:35.551Z), or jobs due in the same millisecond
 * lose their order. Timestamps, delays and durations are held to that range too, so no sum of them overflows;
 * every check names the field and the value.
 */
public final class TimeLimits {
  /** The latest due time, in epoch ms, the delayed set orders exactly: 2^41 - 1. */
  public static final long MAX_EPOCH_MILLIS = (1L << 41) - 1;
  /** {@link #MAX_EPOCH_MILLIS} as an instant: 2039-09-07T15:47:35.551Z. */
  public static final Instant MAX_INSTANT = Instant.ofEpochMilli(MAX_EPOCH_MILLIS);

  private TimeLimits() {}

  /**
   * Returns {@code millis} when it is a delay or duration in [{@code min}, {@link #MAX_EPOCH_MILLIS}] ms.
   *
   * @throws InvalidOptionException naming {@code field} otherwise
   */
  public static long requireMillis(String field, long millis, long min) {
    if (millis < min || millis > MAX_EPOCH_MILLIS) {
      throw new InvalidOptionException(field, millis, "must be between " + min + " and " + MAX_EPOCH_MILLIS
          + " ms (the latest time the delayed set orders exactly is " + MAX_INSTANT + ")");
    }
    return millis;
  }

  /**
   * {@code duration} in whole ms when it lies in [{@code min}, {@link #MAX_EPOCH_MILLIS}] ms.
   *
   * @throws InvalidOptionException naming {@code field} for null and anything outside (where
   *     {@link Duration#toMillis()} would throw an ArithmeticException)
   */
  public static long requireMillis(String field, Duration duration, long min) {
    if (duration == null) {
      throw new InvalidOptionException(field, null, "is required");
    }
    if (duration.isNegative() || duration.compareTo(Duration.ofMillis(MAX_EPOCH_MILLIS)) > 0
        || duration.toMillis() < min) {
      throw new InvalidOptionException(field, duration, "must be between " + min + " and " + MAX_EPOCH_MILLIS
          + " ms (the latest time the delayed set orders exactly is " + MAX_INSTANT + ")");
    }
    return duration.toMillis();
  }

  /**
   * Returns {@code epochMillis} when it lies in [0, {@link #MAX_EPOCH_MILLIS}].
   *
   * @throws InvalidOptionException naming {@code field} otherwise
   */
  public static long requireEpochMillis(String field, long epochMillis) {
    if (epochMillis < 0 || epochMillis > MAX_EPOCH_MILLIS) {
      throw new InvalidOptionException(field, epochMillis, "must be an epoch ms time from 0 to " + MAX_EPOCH_MILLIS
          + " (" + MAX_INSTANT + ", the latest time the delayed set orders exactly)");
    }
    return epochMillis;
  }

  /**
   * {@code instant} in epoch ms when it lies in [epoch, {@link #MAX_INSTANT}].
   *
   * @throws InvalidOptionException naming {@code field} for null and anything outside (where
   *     {@link Instant#toEpochMilli()} would throw an ArithmeticException)
   */
  public static long requireEpochMillis(String field, Instant instant) {
    if (instant == null) {
      throw new InvalidOptionException(field, null, "is required");
    }
    if (instant.isBefore(Instant.EPOCH) || instant.isAfter(MAX_INSTANT)) {
      throw new InvalidOptionException(field, instant, "must lie between " + Instant.EPOCH + " and " + MAX_INSTANT
          + ", the latest time the delayed set orders exactly");
    }
    return instant.toEpochMilli();
  }

  /**
   * Returns {@code delayMillis} when {@code from + delayMillis} is due by {@link #MAX_EPOCH_MILLIS}.
   *
   * @throws InvalidOptionException naming {@code field} otherwise
   */
  public static long requireDueBy(String field, long delayMillis, long from) {
    if (delayMillis > MAX_EPOCH_MILLIS - from) {
      throw new InvalidOptionException(field, delayMillis, "counted from " + from + " (" + Instant.ofEpochMilli(from)
          + ") is due after " + MAX_INSTANT + ", the latest time the delayed set orders exactly");
    }
    return delayMillis;
  }

  /** {@code delayMillis}, shortened where needed so that counted from {@code now} it is due by the latest time. */
  public static long capDelay(long delayMillis, long now) {
    return Math.max(0, Math.min(delayMillis, MAX_EPOCH_MILLIS - now));
  }
}
