package io.bullpen.redis;

import io.bullpen.BullpenException;

/**
 * Thrown by a processor to say "the service this job needs is rate limiting us": the job goes back to the front
 * of the wait list without using an attempt (BullMQ's {@code RateLimitError}). Combine it with
 * {@link Worker#rateLimit(long)} so the worker also stops fetching for a while.
 */
public class RateLimitedException extends BullpenException {
  private static final long serialVersionUID = 1L;

  public RateLimitedException() {
    super("bullmq:rateLimitExceeded");
  }

  public RateLimitedException(String message) {
    super(message);
  }
}
