package io.bullpen.cli.internal;

import io.bullpen.JobState;
import io.bullpen.console.LiveScreen;
import io.bullpen.redis.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code watch}: live counts per state and throughput (jobs finished per second since the last refresh), redrawn
 * in place on a terminal; elsewhere one table per refresh.
 */
@Command(name = "watch", description = "Live job counts and throughput, refreshing in place; Ctrl-C stops.")
public final class WatchCommand extends BaseCommand {
  @Parameters(arity = "0..*", paramLabel = "QUEUE", description = "queues to watch (default: all under the prefix)")
  List<String> queues = new ArrayList<>();

  @Option(names = {"-i", "--interval"}, converter = DurationConverter.class,
      description = "refresh period (default: cli.watch_interval, 1s)")
  Duration interval;

  @Option(names = {"-n", "--count"}, defaultValue = "0", description = "stop after this many refreshes (0: never)")
  int count;

  @Override
  protected int run() throws InterruptedException {
    Session s = session();
    Duration every = interval != null ? interval : s.cli().watchInterval();
    Map<String, Long> finishedBefore = new HashMap<>();
    long before = System.nanoTime();
    try (LiveScreen screen = new LiveScreen(s.out().out(), s.interactive())) {
      return watch(s, every, finishedBefore, before, screen);
    }
  }

  private int watch(Session s, Duration every, Map<String, Long> finishedBefore, long before, LiveScreen screen)
      throws InterruptedException {
    for (int round = 1; count == 0 || round <= count; round++) {
      List<String> names = queues.isEmpty() ? s.queueNames() : queues;
      long now = System.nanoTime();
      double seconds = Math.max(1e-3, (now - before) / 1e9);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String name : names) {
        Queue q = queues.isEmpty() ? s.queue(name) : s.existingQueue(name);
        Map<String, Object> row = QueuesCommand.countsRow(name, q);
        long finished = (Long) row.get(JobState.COMPLETED.wireName()) + (Long) row.get(JobState.FAILED.wireName());
        Long last = finishedBefore.put(name, finished);
        row.put("jobs/s", last == null ? "-" : String.format(Locale.ROOT, "%.1f", Math.max(0, finished - last) / seconds));
        rows.add(row);
      }
      before = now;
      String header = "bullpen watch " + s.redis().maskedUri() + " prefix " + s.prefix() + " every "
          + io.bullpen.config.Durations.format(every);
      if (s.out().json()) {
        s.out().table(rows);
      } else {
        List<String> frame = new ArrayList<>();
        frame.add(header);
        frame.addAll(Output.tableLines(rows));
        screen.show(frame);
      }
      if (s.interrupts().requested() || count != 0 && round == count) {
        break;
      }
      long sleepUntil = System.nanoTime() + every.toNanos();
      while (System.nanoTime() < sleepUntil && !s.interrupts().requested()) {
        Thread.sleep(Math.min(100, Math.max(1, (sleepUntil - System.nanoTime()) / 1_000_000)));
      }
    }
    return ExitCodes.OK;
  }
}
