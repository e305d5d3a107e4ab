package io.bullpen.redis.internal.script;

import io.bullpen.BullpenException;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobStateException;
import io.bullpen.LockLostException;

/** Turns the negative codes BullMQ-style scripts return (spec §4.0) into Bullpen's exceptions. */
public final class ScriptErrors {
  public static final int JOB_NOT_FOUND = -1;
  public static final int LOCK_MISSING = -2;
  public static final int WRONG_STATE = -3;
  public static final int PENDING_DEPENDENCIES = -4;
  public static final int PARENT_NOT_FOUND = -5;
  public static final int LOCK_MISMATCH = -6;
  public static final int OTHER_PARENT = -7;
  public static final int SCHEDULER_ITERATION = -8;
  public static final int FAILED_CHILDREN = -9;
  /**
   * A move out of {@code active} found the lock released by its own token: the same call ran before (its reply
   * was lost and it was sent again). Success, not an error.
   */
  public static final int ALREADY_MOVED = -11;

  private ScriptErrors() {}

  /** The exception for {@code code} returned by {@code operation} on job {@code jobId}. */
  public static BullpenException toException(long code, String queueName, String jobId, String operation) {
    return switch (code < Integer.MIN_VALUE ? 0 : (int) code) {
      case JOB_NOT_FOUND -> new JobNotFoundException(queueName, jobId, operation);
      case LOCK_MISSING -> new LockLostException(queueName, jobId, operation, "the lock is missing");
      case LOCK_MISMATCH -> new LockLostException(queueName, jobId, operation,
          "the lock is held by another worker");
      case WRONG_STATE -> new JobStateException(queueName, jobId,
          "is not in the state " + operation + " requires");
      case PENDING_DEPENDENCIES -> new JobStateException(queueName, jobId,
          "has pending children (" + operation + ")");
      case PARENT_NOT_FOUND -> new JobNotFoundException(queueName, jobId + " (parent)", operation);
      case OTHER_PARENT -> new JobStateException(queueName, jobId,
          "already belongs to another parent (" + operation + ")");
      case SCHEDULER_ITERATION -> new JobStateException(queueName, jobId,
          "is the pending iteration of a job scheduler; remove the scheduler instead (" + operation + ")");
      case FAILED_CHILDREN -> new JobStateException(queueName, jobId,
          "has failed children (" + operation + ")");
      default -> new BullpenException("script " + operation + " returned unexpected code " + code + " for job "
          + jobId + " in queue " + queueName);
    };
  }

  /** Whether {@code code} reports a move that took place: now ({@code >= 0}) or by an earlier send of the same call. */
  public static boolean moved(long code) {
    return code >= 0 || code == ALREADY_MOVED;
  }

  /** Throws when {@code reply} is a negative code; returns it as a long otherwise ({@code 0} for {@link #ALREADY_MOVED}). */
  public static long check(Object reply, String queueName, String jobId, String operation) {
    if (!(reply instanceof Long code)) {
      throw new BullpenException("script " + operation + " returned " + reply + " for job " + jobId
          + " in queue " + queueName);
    }
    if (code == ALREADY_MOVED) {
      return 0;
    }
    if (code < 0) {
      throw toException(code, queueName, jobId, operation);
    }
    return code;
  }
}
