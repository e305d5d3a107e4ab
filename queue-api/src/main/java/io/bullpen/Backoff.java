package io.bullpen;

import java.util.Objects;

/**
 * How long to wait before retrying a failed job. {@code fixed} and {@code exponential} are computed exactly as
 * BullMQ does, so Node and Java workers retry a job on the same schedule; any other type names a custom
 * strategy registered on the worker.
 *
 * @param type {@code "fixed"}, {@code "exponential"} or the name of a custom strategy
 * @param delay base delay in milliseconds, at least 0
 * @param jitter fraction of the delay to randomise, in [0, 1]; 0 means none
 */
public record Backoff(String type, long delay, double jitter) {
  public static final String FIXED = "fixed";
  public static final String EXPONENTIAL = "exponential";

  public Backoff {
    if (type == null || type.isBlank()) {
      throw new InvalidOptionException("backoff.type", type, "must be a non-empty strategy name");
    }
    StoredText.requireWellFormed("backoff.type", type);
    TimeLimits.requireMillis("backoff.delay", delay, 0);
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new InvalidOptionException("backoff.jitter", jitter, "must be within [0, 1]");
    }
  }

  /** The same delay before every retry. */
  public static Backoff fixed(long delayMillis) {
    return new Backoff(FIXED, delayMillis, 0);
  }

  /** {@code delay}, {@code 2 × delay}, {@code 4 × delay}, … before the 1st, 2nd, 3rd retry. */
  public static Backoff exponential(long delayMillis) {
    return new Backoff(EXPONENTIAL, delayMillis, 0);
  }

  /** A strategy registered on the worker under {@code type}. */
  public static Backoff custom(String type, long delayMillis) {
    return new Backoff(type, delayMillis, 0);
  }

  /** This backoff with a jitter fraction in [0, 1]. */
  public Backoff withJitter(double jitterFraction) {
    return new Backoff(type, delay, jitterFraction);
  }

  /** Whether the delay is computed by Bullpen itself rather than a registered custom strategy. */
  public boolean isBuiltIn() {
    return FIXED.equals(type) || EXPONENTIAL.equals(type);
  }

  /**
   * The built-in delay before the next attempt, BullMQ's formulas.
   *
   * @param attemptsMade the number of the attempt that just failed (1 on the first failure)
   * @param random a value in [0, 1), used only when jitter is set
   */
  public long builtInDelay(int attemptsMade, double random) {
    long base;
    if (FIXED.equals(type)) {
      base = delay;
    } else if (EXPONENTIAL.equals(type)) {
      base = Math.round(Math.pow(2, attemptsMade - 1) * delay);
    } else {
      throw new IllegalStateException("backoff type " + type + " is a custom strategy");
    }
    if (jitter > 0) {
      return (long) Math.floor(random * base * jitter + base * (1 - jitter));
    }
    return base;
  }

  @Override
  public String toString() {
    return "Backoff{" + type + ", " + delay + " ms" + (jitter > 0 ? ", jitter " + jitter : "") + "}";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Backoff b && b.type.equals(type) && b.delay == delay
        && Double.compare(b.jitter, jitter) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, delay, jitter);
  }
}
