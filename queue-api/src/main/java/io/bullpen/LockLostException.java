package io.bullpen;

/**
 * An operation that needs the job's lock (finishing, extending, moving) found the lock missing or held by
 * another worker. The job is left where its new owner put it.
 */
public class LockLostException extends BullpenException {
  private static final long serialVersionUID = 1L;

  private final String queueName;
  private final String jobId;

  public LockLostException(String queueName, String jobId, String operation, String reason) {
    super("lock lost for job " + jobId + " in queue " + queueName + " during " + operation + ": " + reason);
    this.queueName = queueName;
    this.jobId = jobId;
  }

  public String queueName() {
    return queueName;
  }

  public String jobId() {
    return jobId;
  }
}
