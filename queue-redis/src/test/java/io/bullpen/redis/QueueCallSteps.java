package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.TimeLimits;
import io.bullpen.redis.QueueModel.Place;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Queue calls with hostile arguments on a {@link QueueStateMachine}: ids no job has (reserved key names, colons,
 * surrogates, ...) and numbers beyond every range. Each is refused with a Bullpen exception or answers "no such
 * job", and changes nothing; in-range numbers on real jobs go through the machine's own modelled steps.
 */
final class QueueCallSteps {
  private QueueCallSteps() {}

  static void any(QueueStateMachine m, String hostileId, int number, long millis, int pick) {
    List<String> stored = new ArrayList<>(m.model().everStored);
    String storedId = stored.isEmpty() ? "1" : stored.get(pick % stored.size());
    if (m.model().everStored.contains(hostileId)) {
      m.log().add("hostile id " + hostileId + " is a real job's: skipped");
      return;
    }
    switch (pick % 12) {
      case 0 -> expectNothing(m, "getJob " + hostileId, () -> m.queue().getJob(hostileId));
      case 1 -> expectNothing(m, "getJobState " + hostileId, () -> m.queue().getJobState(hostileId));
      case 2 -> expectNothing(m, "remove " + hostileId, () -> m.queue().remove(hostileId));
      case 3 -> expectNothing(m, "promote " + hostileId, () -> {
        m.queue().promote(hostileId);
        return null;
      });
      case 4 -> expectNothing(m, "cancelJob " + hostileId, () -> m.queue().cancelJob(hostileId, hostileId));
      case 5 -> expectNothing(m, "getJobLogs " + hostileId + " " + number + ".." + millis,
          () -> m.queue().getJobLogs(hostileId, number, millis, pick % 2 == 0));
      case 6 -> expectNothing(m, "getJobs " + number + ".." + millis,
          () -> m.queue().getJobs(EnumSet.of(JobState.WAITING, JobState.FAILED), number, millis, true));
      case 7 -> expectNothing(m, "updateData " + storedId, () -> {
        m.queue().updateData(storedId, Map.of(hostileId, hostileId));
        return null;
      });
      case 8 -> {
        if (number >= 0 && number <= JobOptions.MAX_PRIORITY) {
          m.changePriority(pick, number, pick % 2 == 0);
        } else {
          expectRefused(m, "changePriority " + storedId + " to " + number,
              () -> m.queue().changePriority(storedId, number, false));
        }
      }
      case 9 -> {
        if (millis >= 0 && millis <= TimeLimits.MAX_EPOCH_MILLIS - m.model().now) {
          m.changeDelay(pick, millis, false);
        } else {
          expectRefused(m, "changeDelay " + storedId + " by " + millis, () -> m.queue().changeDelay(storedId, millis));
        }
      }
      case 10 -> {
        Hostile.Outcome outcome = Hostile.attempt("retryJobs", () -> {
          long moved = m.queue().retryJobs(JobState.FAILED, number, millis);
          m.log().expect("retryJobs count=" + number + " upTo=" + millis, m.model().retryFinished(Place.FAILED,
              millis), moved);
        });
        m.log().add("retryJobs count=" + number + " upTo=" + millis + (outcome.accepted() ? "" : " refused"));
      }
      default -> expectNothing(m, "promoteJobs " + number, () -> {
        if (number > 0) {
          m.log().expect("promoteJobs " + number, m.model().promoteAll(), m.queue().promoteJobs(number));
        } else {
          m.queue().promoteJobs(number);
        }
        return null;
      });
    }
  }

  /** A call that must answer "nothing there" or be refused, changing nothing. */
  private static void expectNothing(QueueStateMachine m, String what, Supplier<?> call) {
    Hostile.Outcome outcome = Hostile.attempt(what, () -> {
      Object answer = call.get();
      if (answer instanceof Optional<?> found) {
        m.log().check(found.isEmpty(), what + " found " + found);
      } else if (answer instanceof JobState state) {
        m.log().check(state == JobState.UNKNOWN, what + " answered " + state);
      }
    });
    m.log().add(what + (outcome.accepted() ? " -> answered" : " -> " + kind(outcome)));
  }

  private static void expectRefused(QueueStateMachine m, String what, Runnable call) {
    Hostile.Outcome outcome = Hostile.attempt(what, call);
    m.log().check(!outcome.accepted() && outcome.refusal() instanceof InvalidOptionException,
        what + " must be refused, was " + (outcome.accepted() ? "accepted" : outcome.refusal()));
    m.log().add(what + " -> refused");
  }

  private static String kind(Hostile.Outcome outcome) {
    return outcome.refusal() instanceof JobNotFoundException ? "not found" : "refused ("
        + outcome.refusal().getClass().getSimpleName() + ")";
  }
}
