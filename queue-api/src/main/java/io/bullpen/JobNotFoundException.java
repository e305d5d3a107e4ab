package io.bullpen;

/** The job named by an operation does not exist (any more) in its queue. */
public class JobNotFoundException extends BullpenException {
  private static final long serialVersionUID = 1L;

  private final String queueName;
  private final String jobId;

  public JobNotFoundException(String queueName, String jobId, String operation) {
    super("job " + jobId + " not found in queue " + queueName + " (" + operation + ")");
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
