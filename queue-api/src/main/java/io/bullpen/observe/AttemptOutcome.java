package io.bullpen.observe;

/** How an attempt ended, as written to Redis. */
public enum AttemptOutcome {
  /** The job completed. */
  COMPLETED,
  /** The attempt failed and the job failed for good (no attempts left, unrecoverable, cancelled without retry). */
  FAILED,
  /** The attempt failed and the job will run again (after its backoff, or at once). */
  RETRIED,
  /** The job went back to wait without using an attempt (rate limited, or the processor asked to retry later). */
  REQUEUED,
  /** The processor moved the job itself (for example to wait for its children); nothing was settled. */
  PARKED,
  /** Nothing was written: the worker was closed by force, or the move failed (Redis away, the lock lost). */
  ABANDONED
}
