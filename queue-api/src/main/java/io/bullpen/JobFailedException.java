package io.bullpen;

import java.util.Objects;

/** A job that was being waited for ended in the {@code failed} state; carries BullMQ's {@code failedReason}. */
public class JobFailedException extends BullpenException {
  private static final long serialVersionUID = 1L;

  private final String jobId;
  private final String queueName;
  private final String failedReason;

  public JobFailedException(String jobId, String queueName, String failedReason) {
    super("job " + jobId + " in queue " + queueName + " failed: " + failedReason);
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.queueName = Objects.requireNonNull(queueName, "queueName");
    this.failedReason = failedReason == null ? "" : failedReason;
  }

  public String jobId() {
    return jobId;
  }

  public String queueName() {
    return queueName;
  }

  /** The failure message as stored in the job hash (plain text, possibly empty). */
  public String failedReason() {
    return failedReason;
  }
}
