package io.bullpen;

import java.util.Objects;

/**
 * One inconsistency an integrity check found in a queue's keys.
 *
 * @param kind what is wrong
 * @param jobId the job concerned (for {@link Kind#DANGLING_DEDUPLICATION}, the deduplication id)
 * @param key the Redis key concerned; for the dependency kinds, the child's job key (the set's entry)
 * @param detail what was seen, in words
 */
public record IntegrityFinding(Kind kind, String jobId, String key, String detail) {
  /** The kinds of inconsistency, and whether {@code --repair} may fix them. */
  public enum Kind {
    /** A job id is in more than one state structure (wait, active, delayed, completed, ...). Not repaired. */
    DUPLICATE_STATE(false),
    /** A state structure lists an id that has no job hash: repaired by taking the id out. */
    MISSING_HASH(true),
    /** A job hash is in no state structure, so no worker or reader will ever see it. Not repaired. */
    ORPHAN_JOB(false),
    /** A lock exists for a job that is not active: repaired by deleting the lock. */
    LOCK_WITHOUT_ACTIVE(true),
    /** A job's logs, dependencies or child results outlived its hash: repaired by deleting the key. */
    ORPHAN_KEY(true),
    /** A parent's pending dependencies name a child whose hash is gone: repaired by dropping the entry. */
    DEPENDENCY_MISSING_CHILD(true),
    /** A parent's pending dependencies name a child that has completed. Not repaired. */
    DEPENDENCY_FINISHED_CHILD(false),
    /** A pending child names a parent whose dependencies do not list it. Not repaired. */
    CHILD_NOT_LISTED(false),
    /** A parent waits for children but has no pending dependencies, so nothing will release it. Not repaired. */
    STUCK_PARENT(false),
    /** A deduplication key points at a job that no longer exists: repaired by deleting the key. */
    DANGLING_DEDUPLICATION(true);

    private final boolean repairable;

    Kind(boolean repairable) {
      this.repairable = repairable;
    }

    /** Whether the repair is safe: it deletes only what no job can need. */
    public boolean repairable() {
      return repairable;
    }
  }

  public IntegrityFinding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(detail, "detail");
  }

  public boolean repairable() {
    return kind.repairable();
  }
}
