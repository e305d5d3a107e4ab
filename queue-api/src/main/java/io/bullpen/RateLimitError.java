package io.bullpen;

/**
 * Thrown by a processor to say "the service this job needs is rate limiting us": the job goes back to the front
 * of the queue without using an attempt, and the worker pauses for what is left of the queue's rate-limit window
 * (BullMQ's {@code RateLimitError}, message {@code bullmq:rateLimitExceeded}). Call the worker's or the queue's
 * {@code rateLimit(ms)} first to make every worker of the queue wait that long.
 */
public class RateLimitError extends BullpenException {
  private static final long serialVersionUID = 1L;

  /** BullMQ's message for this signal. */
  public static final String MESSAGE = "bullmq:rateLimitExceeded";

  public RateLimitError() {
    super(MESSAGE);
  }

  public RateLimitError(String message) {
    super(message);
  }
}
