package io.bullpen.observe;

import java.util.List;

/**
 * Hears what queues and workers do, for metrics and tracing. Register one with {@code
 * QueueOptions.builder().observer(…)} (adds) and {@code WorkerOptions.builder().observer(…)} (attempts, stalled
 * jobs, lock renewals); several may be registered, and are called in registration order. Every method does
 * nothing by default. Callbacks run on the caller's or the worker's
 * threads and must return quickly; an exception thrown by an observer is logged and otherwise ignored, so it can
 * never change what happens to a job.
 */
public interface JobObserver {
  /** The observer that observes nothing; options hold it while none is registered. */
  JobObserver NONE = new JobObserver() {
    @Override
    public String toString() {
      return "JobObserver.NONE";
    }
  };

  /**
   * One add call (a single add or a bulk add, before it is sent) is about to store {@code jobs} in {@code
   * queueName}. The returned observation may give each job propagation headers and hears how the call ended.
   */
  default AddObservation addStarting(String queueName, List<JobAdd> jobs) {
    return AddObservation.NONE;
  }

  /**
   * A worker took a job and is about to run its processor (also when the attempt is refused without running,
   * e.g. a deferred failure). The returned observation lives until the attempt is settled.
   */
  default AttemptObservation attemptStarting(JobAttempt attempt) {
    return AttemptObservation.NONE;
  }

  /** A worker started running; {@link WorkerInfo#activeJobs()} reads its number of active jobs. */
  default void workerStarted(WorkerInfo worker) {}

  /** A worker closed; no attempt of it is observed after this. */
  default void workerClosed(WorkerInfo worker) {}

  /** A worker's stalled check put {@code jobId} of {@code queueName} back to wait (or failed it for good). */
  default void jobStalled(String queueName, String jobId) {}

  /** A worker could not renew the lock of {@code jobId}: another process may take the job over. */
  default void lockRenewalFailed(String queueName, String jobId) {}
}
