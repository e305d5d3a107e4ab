package io.bullpen;

/** The job exists but is not in the state the operation requires (for example, promoting a job that is not delayed). */
public class JobStateException extends BullpenException {
  private static final long serialVersionUID = 1L;

  private final String queueName;
  private final String jobId;

  public JobStateException(String queueName, String jobId, String problem) {
    super("job " + jobId + " in queue " + queueName + ": " + problem);
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
