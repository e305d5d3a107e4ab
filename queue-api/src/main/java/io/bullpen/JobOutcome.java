package io.bullpen;

import java.time.Duration;
import java.util.Optional;

/**
 * How one job of a batch ended: {@link #completed completed} with a result, {@link #failed failed} (retried
 * by its attempts and backoff like any failure), or {@link #retryLater retry later} (back in the queue without
 * using an attempt).
 */
public final class JobOutcome {
  private static final JobOutcome COMPLETED_WITHOUT_RESULT = new JobOutcome(Kind.COMPLETED, null, null, null);

  /** The three kinds of outcome. */
  public enum Kind { COMPLETED, FAILED, RETRY_LATER }

  private final Kind kind;
  private final Object result;
  private final Throwable error;
  private final Duration delay;

  private JobOutcome(Kind kind, Object result, Throwable error, Duration delay) {
    this.kind = kind;
    this.result = result;
    this.error = error;
    this.delay = delay;
  }

  /** Completed; {@code result} (JSON-serialisable, or null) becomes the job's {@code returnvalue}. */
  public static JobOutcome completed(Object result) {
    return result == null ? COMPLETED_WITHOUT_RESULT : new JobOutcome(Kind.COMPLETED, result, null, null);
  }

  /** Failed with {@code error}: retried while attempts remain, unless it is an {@link UnrecoverableError}. */
  public static JobOutcome failed(Throwable error) {
    if (error == null) {
      throw new InvalidOptionException("error", null, "a failed outcome needs the error");
    }
    return new JobOutcome(Kind.FAILED, null, error, null);
  }

  /**
   * Not done yet: the job goes back to the queue without using an attempt, to the front of wait when
   * {@code delay} is zero, else to delayed for {@code delay}.
   */
  public static JobOutcome retryLater(Duration delay) {
    TimeLimits.requireMillis("delay", delay, 0);
    return new JobOutcome(Kind.RETRY_LATER, null, null, delay);
  }

  /** Back to the front of wait at once, without using an attempt. */
  public static JobOutcome retryLater() {
    return retryLater(Duration.ZERO);
  }

  public Kind kind() {
    return kind;
  }

  public Optional<Object> result() {
    return Optional.ofNullable(result);
  }

  public Optional<Throwable> error() {
    return Optional.ofNullable(error);
  }

  /** The delay of a retry later (zero for the front of wait). */
  public Duration delay() {
    return delay == null ? Duration.ZERO : delay;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case COMPLETED -> "completed(" + result + ")";
      case FAILED -> "failed(" + error + ")";
      case RETRY_LATER -> "retryLater(" + delay + ")";
    };
  }
}
