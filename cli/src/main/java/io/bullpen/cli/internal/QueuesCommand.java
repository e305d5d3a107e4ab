package io.bullpen.cli.internal;

import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code queues}: every queue under the prefix, with its counts per state. */
@Command(name = "queues", description = "List the queues under the prefix with their job counts.")
public final class QueuesCommand extends BaseCommand {
  /** The states shown, in the order of a job's life. */
  static final List<JobState> STATES = io.bullpen.console.StateCounts.STATES;

  @Override
  protected int run() {
    Session s = session();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String name : s.queueNames()) {
      rows.add(countsRow(name, s.queue(name)));
    }
    out().table(rows);
    return ExitCodes.OK;
  }

  static Map<String, Object> countsRow(String name, Queue queue) {
    Map<JobState, Long> counts = queue.getJobCounts();
    Map<String, Object> row = Output.row("queue", name, "paused", queue.isPaused());
    for (JobState state : STATES) {
      row.put(state.wireName(), counts.getOrDefault(state, 0L));
    }
    return row;
  }
}
