package io.bullpen.redis.internal.script;

import io.bullpen.JobStateException;

/**
 * A job cannot complete (or wait for its children) because some of its children are pending, or failed with
 * failParentOnFailure (then it can never complete, and the worker fails it without retry).
 */
public final class ChildrenPendingException extends JobStateException {
  private static final long serialVersionUID = 1L;
  private final boolean childrenFailed;
  private final String operation;

  public ChildrenPendingException(String queueName, String jobId, boolean childrenFailed) {
    this(queueName, jobId, childrenFailed, "moveToFinished");
  }

  public ChildrenPendingException(String queueName, String jobId, boolean childrenFailed, String operation) {
    super(queueName, jobId, childrenFailed ? "has failed children and cannot complete"
        : "has pending children and cannot complete yet");
    this.childrenFailed = childrenFailed;
    this.operation = operation;
  }

  public boolean childrenFailed() {
    return childrenFailed;
  }

  /** The failed reason BullMQ's worker stores in this case, so dashboards read the same text. */
  public String bullmqReason() {
    return childrenFailed
        ? "Cannot complete job " + jobId() + " because it has at least one failed child. " + operation
        : "Job " + jobId() + " has pending dependencies. " + operation;
  }
}
