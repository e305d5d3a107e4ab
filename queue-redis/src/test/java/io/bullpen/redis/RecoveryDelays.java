package io.bullpen.redis;

import io.bullpen.redis.ProcessKillRun.Start;
import io.bullpen.redis.ProcessKillRun.WorkerJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long the jobs a kill cut short waited to run again: for each job in flight on a killed worker, from the
 * SIGKILL to the next start of the job on another worker. Measured, printed, never asserted: speed targets live
 * in benchmarks (benchmarks/README.md, "Recovery after a worker is killed").
 */
final class RecoveryDelays {
  /** Delays in ms, sorted. */
  final List<Long> millis;
  /** Jobs in flight at a kill that never started again: the kill came after their completion reached Redis. */
  final int completedBeforeTheKill;

  private RecoveryDelays(List<Long> millis, int completedBeforeTheKill) {
    this.millis = millis;
    this.completedBeforeTheKill = completedBeforeTheKill;
  }

  static RecoveryDelays of(ProcessKillRun run) {
    Map<String, List<Start>> starts = run.startsByJob();
    List<Long> delays = new ArrayList<>();
    int notAgain = 0;
    for (WorkerJvm worker : run.workers) {
      if (!worker.killedMidRun()) {
        continue;
      }
      for (String id : worker.inFlight()) {
        Start next = starts.getOrDefault(id, List.of()).stream()
            .filter(s -> s.worker() != worker && s.atMillis() >= worker.killedAtMillis).findFirst().orElse(null);
        if (next == null) {
          notAgain++;
        } else {
          delays.add(next.atMillis() - worker.killedAtMillis);
        }
      }
    }
    Collections.sort(delays);
    return new RecoveryDelays(List.copyOf(delays), notAgain);
  }

  long percentile(int p) {
    if (millis.isEmpty()) {
      return -1;
    }
    // Nearest rank.
    int rank = (int) Math.ceil(p / 100.0 * millis.size());
    return millis.get(Math.max(0, rank - 1));
  }

  /** The median, the spread, and how many re-runs fell in each second after the kill. */
  String report(ProcessKillRun.Settings settings) {
    Map<Long, Integer> perSecond = new TreeMap<>();
    millis.forEach(ms -> perSecond.merge(ms / 1000, 1, Integer::sum));
    StringBuilder histogram = new StringBuilder();
    perSecond.forEach((second, count) -> histogram.append(String.format("  %2d-%2d s %4d %s%n", second, second + 1,
        count, "#".repeat(count))));
    return String.format("kill -> re-run with lock %d ms, stalled interval %d ms (%d workers x %d, %d jobs of %d ms,"
        + " %d kills): %d re-runs, %d completed before their kill%n"
        + "  min %d  p10 %d  p25 %d  median %d  p75 %d  p90 %d  max %d ms%n%s",
        settings.lockMillis(), settings.stalledMillis(), settings.workers(), settings.concurrency(), settings.jobs(),
        settings.workMillis(), settings.kills(), millis.size(), completedBeforeTheKill,
        percentile(0), percentile(10), percentile(25), percentile(50), percentile(75), percentile(90),
        percentile(100), histogram);
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
