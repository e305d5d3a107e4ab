package io.bullpen.redis;

import io.bullpen.redis.ProcessKillRun.Start;
import io.bullpen.redis.ProcessKillRun.WorkerJvm;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How long the jobs a kill cut short waited: for each job in flight on a killed worker, from the SIGKILL to its
 * {@code stalled} event (a stalled check gave it back) and to its next start on another worker. Measured,
 * printed, never asserted: speed targets live in benchmarks (benchmarks/README.md, "Recovery after a worker is
 * killed").
 */
final class RecoveryDelays {
  /** Kill to next start, in ms, sorted. */
  final List<Long> reRun;
  /** Kill to the job's {@code stalled} event (Redis's clock, the same host's), in ms, sorted. */
  final List<Long> reclaimed;
  /** Jobs in flight at a kill that never started again: the kill came after their completion reached Redis. */
  final int completedBeforeTheKill;

  private RecoveryDelays(List<Long> reRun, List<Long> reclaimed, int completedBeforeTheKill) {
    this.reRun = reRun;
    this.reclaimed = reclaimed;
    this.completedBeforeTheKill = completedBeforeTheKill;
  }

  static RecoveryDelays of(ProcessKillRun run) {
    Map<String, List<Start>> starts = run.startsByJob();
    Map<String, List<Long>> stalledAt = new HashMap<>();
    for (StreamMessage<String, String> m : run.raw().xrange(run.key("events"), Range.create("-", "+"))) {
      if ("stalled".equals(m.getBody().get("event"))) {
        long at = Long.parseLong(m.getId().substring(0, m.getId().indexOf('-')));
        stalledAt.computeIfAbsent(m.getBody().get("jobId"), id -> new ArrayList<>()).add(at);
      }
    }
    List<Long> reRun = new ArrayList<>();
    List<Long> reclaimed = new ArrayList<>();
    int notAgain = 0;
    for (WorkerJvm worker : run.workers) {
      if (!worker.killedMidRun()) {
        continue;
      }
      long kill = worker.killedAtMillis;
      for (String id : worker.inFlight()) {
        Optional<Start> next = starts.get(id).stream().filter(s -> s.worker() != worker && s.atMillis() >= kill)
            .findFirst();
        if (next.isPresent()) {
          reRun.add(next.get().atMillis() - kill);
        } else {
          notAgain++;
        }
        stalledAt.getOrDefault(id, List.of()).stream().filter(at -> at >= kill).findFirst()
            .ifPresent(at -> reclaimed.add(at - kill));
      }
    }
    Collections.sort(reRun);
    Collections.sort(reclaimed);
    return new RecoveryDelays(List.copyOf(reRun), List.copyOf(reclaimed), notAgain);
  }

  static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    // Nearest rank.
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** The median, the spread, and how many re-runs fell in each second after the kill. */
  String report(ProcessKillRun.Settings settings) {
    Map<Long, Integer> perSecond = new TreeMap<>();
    reRun.forEach(ms -> perSecond.merge(ms / 1000, 1, Integer::sum));
    StringBuilder histogram = new StringBuilder();
    perSecond.forEach((second, count) -> histogram.append(String.format("  %2d-%2d s %4d %s%n", second, second + 1,
        count, "#".repeat(count))));
    return String.format("kill -> re-run with lock %d ms, stalled interval %d ms (%d workers x %d, %d of them"
        + " BullMQ's, %d jobs of %d ms, %d kills): %d re-runs, %d completed before their kill%n"
        + "  re-run:    %s%n  reclaimed: %s%n%s",
        settings.lockMillis(), settings.stalledMillis(), settings.workers(), settings.concurrency(),
        settings.nodeWorkers(), settings.jobs(),
        settings.workMillis(), settings.kills(), reRun.size(), completedBeforeTheKill, spread(reRun),
        spread(reclaimed), histogram);
  }

  private static String spread(List<Long> sorted) {
    return String.format("min %d  p10 %d  p25 %d  median %d  p75 %d  p90 %d  max %d ms", percentile(sorted, 0),
        percentile(sorted, 10), percentile(sorted, 25), percentile(sorted, 50), percentile(sorted, 75),
        percentile(sorted, 90), percentile(sorted, 100));
  }

  /** The 1-, 5- and 15-minute load averages, to print next to the figures (the machine is shared). */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown (" + e + ")";
    }
  }
}
