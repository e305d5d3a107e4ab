package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.KeepJobs;
import io.bullpen.LeaseFailure;
import io.bullpen.LeaseResult;
import io.bullpen.redis.QueueModel.ModelJob;
import io.bullpen.redis.QueueModel.Place;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;

/**
 * Lease calls on a {@link QueueStateMachine}, in any order and with any arguments, applied to Redis through
 * {@code queue.leases()} and to the model as a worker's moves (a claim is fetches with the owner's token, an ack
 * a completion, a fail a worker's failure, an abandon a return to wait): a call either settles exactly the jobs
 * the owner holds, or is refused with a Bullpen exception and changes nothing.
 */
final class LeaseSteps {
  private LeaseSteps() {}

  static void claim(QueueStateMachine m, String owner, Duration lease, int maxJobs) {
    List<String> claimed = new ArrayList<>();
    Hostile.Outcome outcome = Hostile.attempt("claim",
        () -> m.queue().leases().claim(owner, lease, maxJobs).forEach(job -> claimed.add(job.id())));
    if (!outcome.accepted()) {
      refused(m, "claim " + owner + " " + lease + " max " + maxJobs, outcome);
      return;
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < maxJobs; i++) {
      String id = m.model().fetch(owner).jobId();
      if (id == null) {
        break;
      }
      expected.add(id);
    }
    m.log().add("claim " + owner + " " + lease + " max " + maxJobs + " -> " + claimed);
    m.log().expect("jobs claimed", expected, claimed);
  }

  /** What one settling call does to a job the owner holds, in the model. */
  private interface Settle {
    void apply(QueueModel model, ModelJob job);
  }

  static void ack(QueueStateMachine m, String owner, List<String> ids) {
    settle(m, "ack", owner, ids, true, leases -> leases.ack(owner, ids),
        (model, job) -> model.finish(job.id, true, "null", KeepJobs.all(), null));
  }

  static void abandon(QueueStateMachine m, String owner, List<String> ids) {
    settle(m, "abandon", owner, ids, true, leases -> leases.abandon(owner, ids),
        (model, job) -> model.returnToWait(job.id));
  }

  static void extend(QueueStateMachine m, String owner, List<String> ids, Duration duration) {
    settle(m, "extend " + duration, owner, ids, false, leases -> leases.extend(owner, ids, duration),
        (model, job) -> {});
  }

  /** Fails each job with "boom", retried after {@code retryAfter} (null for the job's own backoff: none). */
  static void fail(QueueStateMachine m, String owner, List<String> ids, Duration retryAfter) {
    List<LeaseFailure> failures = new ArrayList<>();
    Hostile.Outcome built = Hostile.attempt("LeaseFailure", () -> {
      for (String id : ids) {
        LeaseFailure f = LeaseFailure.of(id, "boom");
        failures.add(retryAfter == null ? f : f.retryAfter(retryAfter));
      }
    });
    if (!built.accepted()) {
      refused(m, "fail " + ids + " retryAfter " + retryAfter, built);
      return;
    }
    settle(m, "fail retryAfter " + retryAfter, owner, ids, true, leases -> leases.fail(owner, failures),
        (model, job) -> {
      boolean retry = job.attemptsMade + 1 < job.attempts;
      long delay = retryAfter == null ? 0 : retryAfter.toMillis();
      if (!retry) {
        model.finish(job.id, false, "boom", KeepJobs.all(), null);
      } else if (delay > 0) {
        model.retryLater(job.id, delay, null);
      } else {
        model.retryNow(job.id, job.lifo);
      }
    });
  }

  /** @param moves whether the call moves the job out of active (not an extend): a repeat is then done again */
  private static void settle(QueueStateMachine m, String what, String owner, List<String> ids, boolean moves,
      Function<Leases, LeaseResult> call, Settle held) {
    LeaseResult[] result = new LeaseResult[1];
    Hostile.Outcome outcome = Hostile.attempt(what, () -> result[0] = call.apply(m.queue().leases()));
    if (!outcome.accepted()) {
      refused(m, what + " " + owner + " " + ids, outcome);
      m.log().check(outcome.refusal() instanceof InvalidOptionException,
          what + " refused other than for its arguments: " + outcome.refusal());
      return;
    }
    List<String> expected = new ArrayList<>();
    for (String id : ids) {
      ModelJob job = m.model().jobs.get(id);
      if (job != null && job.place == Place.ACTIVE && owner.equals(job.token)) {
        if (moves) {
          job.settledBy = owner + ":" + job.attemptsStarted;
        }
        held.apply(m.model(), job);
        expected.add(id);
      } else if (moves && job != null && (owner + ":" + job.attemptsStarted).equals(job.settledBy)
          && !expected.contains(id)) {
        expected.add(id);  // a repeat of the owner's own move in this attempt: done again, nothing changes
      }
    }
    m.log().add(what + " " + owner + " " + ids + " -> done " + result[0].done() + ", refused "
        + result[0].refused());
    m.log().expect(what + ": the jobs the owner held", expected, result[0].done());
    m.log().expect(what + ": every id answered", new HashSet<>(ids), union(result[0]));
  }

  private static HashSet<String> union(LeaseResult result) {
    HashSet<String> all = new HashSet<>(result.done());
    all.addAll(result.refused().keySet());
    return all;
  }

  private static void refused(QueueStateMachine m, String what, Hostile.Outcome outcome) {
    m.log().add(what + " refused: " + outcome.refusal().getMessage());
  }

  /** The job ids a lease call names: held ones, other stored ones, and hostile ones. */
  static List<String> ids(QueueStateMachine m, List<Integer> picks, List<String> hostile) {
    List<String> stored = new ArrayList<>(m.model().everStored);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < picks.size(); i++) {
      int pick = picks.get(i);
      if (pick % 4 == 3 && i < hostile.size()) {
        ids.add(hostile.get(i));
      } else if (pick % 4 == 0 && !m.model().active.isEmpty()) {
        ids.add(m.model().active.get(pick % m.model().active.size()));
      } else if (!stored.isEmpty()) {
        ids.add(stored.get(pick % stored.size()));
      } else {
        ids.add("none-" + pick);
      }
    }
    return ids;
  }
}
