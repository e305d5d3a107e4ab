package io.bullpen;

/**
 * The failure of a cancelled job: its message is the cancellation reason, stored as the job's
 * {@code failedReason}. The job is not retried unless {@link #retry()} (the cancel asked for it).
 */
public class JobCancelledException extends BullpenException {
  private static final long serialVersionUID = 1L;
  private final boolean retry;

  public JobCancelledException(String reason, boolean retry) {
    super(reason);
    this.retry = retry;
  }

  /** Whether the job may be retried (when attempts remain) after this cancel. */
  public boolean retry() {
    return retry;
  }
}
