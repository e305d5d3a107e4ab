package io.bullpen.redis.internal.worker;

import io.bullpen.observe.Scope;
import org.slf4j.MDC;

/**
 * What is current on the processor's thread while it runs one job: the SLF4J MDC keys {@value #QUEUE}, {@value
 * #JOB_ID}, {@value #JOB_NAME} and {@value #ATTEMPT}, and the scope the attempt's observers opened (a trace
 * span). Closing restores the thread's previous MDC values, so a caller's own context survives.
 */
final class JobContext implements AutoCloseable {
  static final String QUEUE = "bullpen.queue";
  static final String JOB_ID = "bullpen.jobId";
  static final String JOB_NAME = "bullpen.jobName";
  static final String ATTEMPT = "bullpen.attempt";

  private final String queue;
  private final String jobId;
  private final String jobName;
  private final String attempt;
  private final Scope scope;

  private JobContext(String queue, String jobId, String jobName, String attempt, Scope scope) {
    this.queue = queue;
    this.jobId = jobId;
    this.jobName = jobName;
    this.attempt = attempt;
    this.scope = scope;
  }

  static JobContext enter(ProcessingJob job) {
    JobContext previous = new JobContext(MDC.get(QUEUE), MDC.get(JOB_ID), MDC.get(JOB_NAME), MDC.get(ATTEMPT),
        job.observed().enter());
    MDC.put(QUEUE, job.queueName());
    MDC.put(JOB_ID, job.id());
    MDC.put(JOB_NAME, job.name());
    MDC.put(ATTEMPT, Integer.toString(job.attemptsMade() + 1));
    return previous;
  }

  @Override
  public void close() {
    restore(QUEUE, queue);
    restore(JOB_ID, jobId);
    restore(JOB_NAME, jobName);
    restore(ATTEMPT, attempt);
    scope.close();
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
