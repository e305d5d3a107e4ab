package io.bullpen.console;

import io.bullpen.JobState;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Jobs per state on one line: {@code wait 12 · active 8 · delayed 3 · completed 240 · failed 2}. */
public final class StateCounts {
  /** The states shown, in a job's usual order of passage. */
  public static final List<JobState> STATES = List.of(JobState.WAITING, JobState.PRIORITIZED, JobState.DELAYED,
      JobState.ACTIVE, JobState.WAITING_CHILDREN, JobState.COMPLETED, JobState.FAILED);

  private StateCounts() {}

  /**
   * The counts of {@link #STATES}, each by its BullMQ name; a state without jobs is left out unless it is completed
   * or failed (so the line keeps its end in place while jobs flow).
   */
  public static String render(Map<JobState, Long> counts) {
    StringJoiner line = new StringJoiner(" · ");
    for (JobState state : STATES) {
      long n = counts.getOrDefault(state, 0L);
      if (n > 0 || state == JobState.COMPLETED || state == JobState.FAILED) {
        line.add(state.wireName() + " " + n);
      }
    }
    return line.toString();
  }
}
