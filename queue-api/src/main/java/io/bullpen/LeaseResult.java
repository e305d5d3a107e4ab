package io.bullpen;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a lease call ({@code ack}, {@code fail}, {@code abandon}, {@code extend} of {@code queue.leases()}) did
 * to each job: ownership is checked per job, so some jobs may be refused while the others go through.
 */
public final class LeaseResult {
  /** Why a job was refused. */
  public enum Refusal {
    /** The lease ran out (the lock expired or was released); the stalled checker may have requeued the job. */
    LOCK_EXPIRED(true),
    /** Another owner holds the job now. */
    LOCK_TAKEN(true),
    /** The job is not active any more. */
    NOT_ACTIVE(true),
    /** No such job. */
    NOT_FOUND(true),
    /** The job has children still pending, so it cannot complete yet; it stays yours. */
    CHILDREN_PENDING(false),
    /** The job has failed children, so it can never complete; fail it instead. It stays yours. */
    CHILDREN_FAILED(false);

    private final boolean lost;

    Refusal(boolean lost) {
      this.lost = lost;
    }

    /** Whether the caller no longer owns the job. */
    public boolean isLost() {
      return lost;
    }
  }

  private final List<String> done;
  private final Map<String, Refusal> refused;

  private LeaseResult(List<String> done, Map<String, Refusal> refused) {
    this.done = List.copyOf(done);
    this.refused = Collections.unmodifiableMap(new LinkedHashMap<>(refused));
  }

  /** A result: {@code done} in the order given, {@code refused} with the reason of each. */
  public static LeaseResult of(List<String> done, Map<String, Refusal> refused) {
    return new LeaseResult(done, refused);
  }

  /** Ids of the jobs the call applied to, in the order given. */
  public List<String> done() {
    return done;
  }

  /** Jobs the call did not apply to, with the reason. */
  public Map<String, Refusal> refused() {
    return refused;
  }

  /** Ids of refused jobs the caller no longer owns (expired, taken over, gone). */
  public List<String> lost() {
    return refused.entrySet().stream().filter(e -> e.getValue().isLost()).map(Map.Entry::getKey).toList();
  }

  public boolean allDone() {
    return refused.isEmpty();
  }

  @Override
  public String toString() {
    return "LeaseResult{done=" + done + ", refused=" + refused + "}";
  }
}
