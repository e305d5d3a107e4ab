package io.bullpen;

import java.util.List;

/**
 * A page of a job's log lines.
 *
 * @param lines the requested lines, in the requested order
 * @param count how many lines the job keeps in total
 */
public record JobLogs(List<String> lines, long count) {
  public JobLogs {
    lines = List.copyOf(lines);
  }
}
