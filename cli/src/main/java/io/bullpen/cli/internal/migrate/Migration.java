package io.bullpen.cli.internal.migrate;

import io.bullpen.cli.internal.ExitCodes;
import io.bullpen.cli.internal.Interrupts;
import io.bullpen.cli.internal.Progress;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One queue's migration from one Redis deployment (or prefix) to another. {@code run} records where it stands in a
 * hash on the target ({@code <prefix>:<queue>:bp:migration}: state, the source's SCAN cursor after the last copied
 * batch, keys copied, whether the source was paused before), so a run that was killed continues from its last
 * batch; a batch is copied with REPLACE, so repeating it changes nothing.
 */
public final class Migration {
  static final String COPYING = "copying";
  static final String COPIED = "copied";

  private final Side from;
  private final Side to;
  private final KeyCopier copier;
  private final int batch;
  private final Clock clock;

  public Migration(Side from, Side to, int batch, Clock clock) {
    if (from.redis.config().uri().equals(to.redis.config().uri()) && from.keys.keyPrefix().equals(to.keys.keyPrefix())) {
      throw new ExitCodes.CliFailure(ExitCodes.USAGE, "source and target are the same: " + from);
    }
    this.from = from;
    this.to = to;
    this.copier = new KeyCopier(from, to);
    this.batch = batch;
    this.clock = clock;
  }

  String queue() {
    return from.keys.queueName();
  }

  /** The progress record, empty when no run has started. */
  Map<String, String> record() {
    return to.await(to.async().hgetall(to.keys.migration()), "HGETALL migration");
  }

  /** What exists on both sides. */
  public Map<String, Object> status() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("queue", queue());
    row.put("sourceKeys", count(from, false));
    row.put("targetKeys", count(to, true));
    Map<String, String> record = record();
    row.put("state", record.getOrDefault("state", "not started"));
    row.put("copied", Long.parseLong(record.getOrDefault("copied", "0")));
    return row;
  }

  private long count(Side side, boolean skipRecord) {
    long[] n = {0};
    side.eachPage(1000, keys -> n[0] += keys.stream().filter(k -> !skipRecord || !k.equals(to.keys.migration()))
        .count());
    return n[0];
  }

  /**
   * Pauses the source, waits up to {@code activeWait} for its active jobs to finish (or, with {@code requeueActive},
   * copies them back into wait on the target), then copies every key batch by batch. Stops after the batch in
   * flight when {@code interrupts} asks.
   *
   * @return keys copied by this run; {@link ExitCodes#INTERRUPTED} is reported by the caller when stopped
   */
  public long run(Duration activeWait, boolean requeueActive, Interrupts interrupts, Progress progress)
      throws InterruptedException {
    Map<String, String> record = record();
    String state = record.get("state");
    if (COPIED.equals(state)) {
      progress.total(0);
      return 0;
    }
    if (state == null) {
      if (count(to, true) > 0) {
        throw ExitCodes.refused("the target already has keys of queue " + to + " and no migration record; "
            + "refusing to mix them (remove them or choose another prefix)");
      }
      boolean wasPaused = from.await(from.async().hexists(from.keys.meta(), "paused"), "HEXISTS");
      to.await(to.async().hset(to.keys.migration(), Map.of("state", COPYING, "cursor", "0", "copied", "0",
          "sourceWasPaused", Boolean.toString(wasPaused), "source", from.toString(),
          "startedAt", Long.toString(clock.millis()))), "HSET migration");
      record = record();
    }
    from.await(from.async().hset(from.keys.meta(), "paused", "1"), "HSET meta paused");
    List<String> active = awaitActive(activeWait, requeueActive);
    progress.total(count(from, false));
    long copied = 0;
    // A cluster's SCAN cursor spans nodes and cannot be stored: a resumed run from a cluster starts over, which
    // copies the same keys again (REPLACE) and duplicates nothing.
    String saved = from.redis.isCluster() ? "0" : record.getOrDefault("cursor", "0");
    ScanCursor cursor = ScanCursor.of(saved);
    while (!saved.equals("done")) {
      KeyScanCursor<String> page = from.page(cursor, batch);
      List<String> keys = new ArrayList<>(page.getKeys());
      keys.removeIf(k -> k.endsWith(":lock") && active.contains(from.keys.jobIdOf(k)));
      int n = copier.copy(keys);
      copied += n;
      progress.advance(n);
      cursor = page;
      // One round trip for the progress record: both commands go out before either answer is awaited.
      var cursorSaved = to.async().hset(to.keys.migration(), "cursor", page.isFinished() ? "done" : page.getCursor());
      var countSaved = to.async().hincrby(to.keys.migration(), "copied", n);
      to.await(cursorSaved, "HSET migration cursor");
      to.await(countSaved, "HINCRBY migration");
      if (page.isFinished()) {
        break;
      }
      if (interrupts.requested()) {
        return copied;
      }
    }
    finish(active, Boolean.parseBoolean(record().getOrDefault("sourceWasPaused", "false")));
    return copied;
  }

  /** Waits for the source's active jobs to finish; returns those left to requeue on the target. */
  private List<String> awaitActive(Duration wait, boolean requeue) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<String> active = from.await(from.async().lrange(from.keys.active(), 0, -1), "LRANGE active");
      if (active.isEmpty()) {
        return List.of();
      }
      if (System.nanoTime() >= deadline) {
        if (requeue) {
          return active;
        }
        throw ExitCodes.refused(active.size() + " job(s) still active on the source after " + wait
            + " (the source is paused, so no new ones start): wait for their workers, or give --requeue-active to "
            + "copy them back into wait on the target as the stalled check would");
      }
      Thread.sleep(50);
    }
  }

  /**
   * The target gets the source's paused flag as it was before the run, and jobs that were still active go back to
   * wait (to run next, their stalled counter raised), as the stalled check does with a job whose worker stopped.
   */
  private void finish(List<String> active, boolean sourceWasPaused) {
    for (String id : active) {
      to.await(to.async().lrem(to.keys.active(), 0, id), "LREM active");
      to.await(to.async().rpush(to.keys.waitList(), id), "RPUSH wait");
      to.await(to.async().hincrby(to.keys.jobKey(id), "stc", 1), "HINCRBY stc");
    }
    if (!sourceWasPaused) {
      to.await(to.async().hdel(to.keys.meta(), "paused"), "HDEL meta paused");
    }
    to.await(to.async().hset(to.keys.migration(), "state", COPIED), "HSET migration state");
  }

  /** Differences between the sides, by key: missing, extra or with other content. Empty when they agree. */
  public List<String> verify(Progress progress) {
    Checksums sums = new Checksums(copier);
    Map<String, String> source = sums.all(from, progress, false);
    Map<String, String> target = sums.all(to, progress, true);
    List<String> differences = new ArrayList<>();
    source.forEach((key, sum) -> {
      String other = target.remove(copier.target(key));
      if (other == null) {
        differences.add("missing on the target: " + copier.target(key));
      } else if (!other.equals(sum)) {
        differences.add("different on the target: " + copier.target(key));
      }
    });
    target.keySet().forEach(k -> differences.add("only on the target: " + k));
    return differences;
  }

  /** Deletes what was copied to the target and gives the source back its paused flag as it was. */
  public long rollback() {
    Map<String, String> record = record();
    if (record.isEmpty()) {
      throw ExitCodes.refused("no migration of " + queue() + " to roll back on " + to);
    }
    long[] deleted = {0};
    to.eachPage(1000, keys -> {
      if (!keys.isEmpty()) {
        deleted[0] += to.await(to.async().unlink(keys.toArray(String[]::new)), "UNLINK");
      }
    });
    if (!Boolean.parseBoolean(record.getOrDefault("sourceWasPaused", "false"))) {
      from.await(from.async().hdel(from.keys.meta(), "paused"), "HDEL meta paused");
    }
    return deleted[0];
  }
}
