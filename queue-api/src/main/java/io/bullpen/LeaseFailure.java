package io.bullpen;

import java.time.Duration;
import java.util.Optional;

/**
 * One failed job for {@code queue.leases().fail}: its id and the error. By default a worker failure's rules apply
 * (retry while attempts remain, with the job's backoff; {@link io.bullpen.UnrecoverableError} fails at once);
 * {@link #retryAfter} sets the delay of this retry instead of the backoff, still using an attempt.
 */
public final class LeaseFailure {
  private final String jobId;
  private final Throwable error;
  private final Duration retryDelay;

  private LeaseFailure(String jobId, Throwable error, Duration retryDelay) {
    if (jobId == null || jobId.isEmpty()) {
      throw new InvalidOptionException("jobId", jobId, "must be a non-empty job id");
    }
    if (error == null) {
      throw new InvalidOptionException("error", null, "must describe why job " + jobId + " failed");
    }
    if (retryDelay != null && retryDelay.isNegative()) {
      throw new InvalidOptionException("retryDelay", retryDelay, "must be >= 0");
    }
    this.jobId = jobId;
    this.error = error;
    this.retryDelay = retryDelay;
  }

  /** The job failed with {@code error}; retries follow its attempts and backoff. */
  public static LeaseFailure of(String jobId, Throwable error) {
    return new LeaseFailure(jobId, error, null);
  }

  /** The job failed with a plain message. */
  public static LeaseFailure of(String jobId, String reason) {
    return of(jobId, new RuntimeException(reason));
  }

  /** The same failure, retried after {@code delay} (if attempts remain) instead of after the backoff. */
  public LeaseFailure retryAfter(Duration delay) {
    TimeLimits.requireMillis("retryDelay", delay, 0);
    return new LeaseFailure(jobId, error, delay);
  }

  public String jobId() {
    return jobId;
  }

  public Throwable error() {
    return error;
  }

  public Optional<Duration> retryDelay() {
    return Optional.ofNullable(retryDelay);
  }

  @Override
  public String toString() {
    return "LeaseFailure{" + jobId + ": " + error + "}";
  }
}
