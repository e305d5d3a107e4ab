package io.bullpen.benchmarks;

import io.bullpen.outbox.ConnectionSource;
import io.bullpen.outbox.Outbox;
import io.bullpen.outbox.OutboxJob;
import io.bullpen.outbox.OutboxListener;
import io.bullpen.outbox.OutboxOptions;
import io.bullpen.outbox.OutboxRecord;
import io.bullpen.outbox.OutboxRelay;
import io.bullpen.outbox.OutboxRelayOptions;
import io.bullpen.outbox.OutboxSchema;
import io.bullpen.outbox.TestPostgres;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The outbox targets of issue 15, on this machine's own PostgreSQL (zonky's binaries, started by
 * {@link TestPostgres}) and an embedded Redis, both on loopback:
 *
 * <ul>
 *   <li>{@code latency}: one relay (LISTEN/NOTIFY); a producer commits one row per transaction, paced at
 *       {@code rate} rows/s for {@code latencyRows} rows; commit returned → the row's job acknowledged by Redis
 *       (the relay's {@code onAdded}), p50/p99/max in ms, after 3 s of unmeasured rows at the same rate (JIT, the
 *       relay's first queue connection). Target: p99 under 50 ms at 1k rows/s.
 *   <li>{@code throughput}: {@code throughputRows} rows committed beforehand in transactions of 1000, then two
 *       relays (batches of 1000) drain the table; rows/s from the relays' start to the table's last row, after an
 *       unmeasured drain of a fifth as many rows. Target: 20k rows/s.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.bullpen.benchmarks.OutboxBenchmark [--rate=1000]
 *     [--latencyRows=5000] [--throughputRows=100000]
 * </pre>
 *
 * Prints one JSON line per figure, with the load average before and after.
 */
public final class OutboxBenchmark {
  private OutboxBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new ConcurrentHashMap<>();
    Arrays.stream(args).filter(a -> a.startsWith("--") && a.contains("="))
        .forEach(a -> opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1)));
    int rate = Integer.parseInt(opts.getOrDefault("rate", "1000"));
    int latencyRows = Integer.parseInt(opts.getOrDefault("latencyRows", "5000"));
    int throughputRows = Integer.parseInt(opts.getOrDefault("throughputRows", "100000"));
    try (TestPostgres postgres = TestPostgres.start(); RunningRedis redis = RedisLauncher.startEmbedded()) {
      System.out.println("{\"bench\":\"meta\",\"java\":\"" + System.getProperty("java.version") + "\",\"cores\":"
          + Runtime.getRuntime().availableProcessors() + ",\"postgres\":\"14.22 (zonky, fsync off)\",\"redis\":\""
          + redis.source() + "\",\"loadavg\":\"" + loadAverage() + "\"}");
      latency(postgres.dataSource(), redis.uri(), rate, latencyRows, rate * 3);
      throughput(postgres.dataSource(), redis.uri(), throughputRows / 5);   // warm-up, not printed
      throughput(postgres.dataSource(), redis.uri(), throughputRows);
      System.out.println("{\"bench\":\"end\",\"loadavg\":\"" + loadAverage() + "\"}");
    }
  }

  private static void latency(DataSource ds, String redisUri, int rate, int rows, int warmup) throws Exception {
    OutboxOptions options = table(ds, "bench_latency");
    Map<Long, Long> committedAt = new ConcurrentHashMap<>();
    Map<Long, Long> addedAt = new ConcurrentHashMap<>();
    AtomicLong batches = new AtomicLong();
    CountDownLatch done = new CountDownLatch(rows);
    OutboxListener timing = new OutboxListener() {
      @Override
      public void onAdded(List<OutboxRecord> added) {
        long now = System.nanoTime();
        batches.incrementAndGet();
        for (OutboxRecord r : added) {
          if (r.data().startsWith("{\"m\"") && addedAt.putIfAbsent(r.id(), now) == null) {
            done.countDown();
          }
        }
      }
    };
    Outbox outbox = new Outbox(options);
    try (OutboxRelay relay = OutboxRelay.start(relayOptions(ds, redisUri, options, "latency", 500).listener(timing)
        .build()); Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      String load = loadAverage();
      long start = System.nanoTime();
      long producerStart = start;
      long interval = TimeUnit.SECONDS.toNanos(1) / rate;
      for (int i = -warmup; i < rows; i++) {
        long due = start + (i + warmup) * interval;
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
          java.util.concurrent.locks.LockSupport.parkNanos(left);   // no spinning: 2 cores are shared
        }
        long id = outbox.enqueue(c, OutboxJob.of("bench-outbox", "row", Map.of(i < 0 ? "w" : "m", i)));
        if (i < 0) {
          c.commit();   // warm-up: JIT, the relay's first queue connection
          continue;
        }
        if (i == 0) {
          producerStart = System.nanoTime();
        }
        c.commit();
        committedAt.put(id, System.nanoTime());   // the relay may add the row before this line: latency 0
      }
      long producerNanos = System.nanoTime() - producerStart;
      if (!done.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("only " + addedAt.size() + " of " + rows + " rows were relayed");
      }
      long[] sorted = committedAt.entrySet().stream()
          .mapToLong(e -> Math.max(0, addedAt.get(e.getKey()) - e.getValue())).sorted().toArray();
      System.out.printf("{\"bench\":\"latency\",\"rows\":%d,\"target_rate\":%d,\"achieved_rate\":%.0f,"
              + "\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"batches\":%d,\"loadavg_before\":\"%s\","
              + "\"loadavg_after\":\"%s\"}%n",
          rows, rate, rows / (producerNanos / 1e9), ms(sorted, 0.50), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6,
          batches.get(), load, loadAverage());
    }
  }

  private static int tables;

  private static void throughput(DataSource ds, String redisUri, int rows) throws Exception {
    OutboxOptions options = table(ds, "bench_throughput_" + tables++);
    Outbox outbox = new Outbox(options);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      for (int done = 0; done < rows; done += 1000) {
        List<OutboxJob> jobs = new ArrayList<>(1000);
        for (int i = done; i < Math.min(rows, done + 1000); i++) {
          jobs.add(OutboxJob.of("bench-outbox-throughput", "row", Map.of("i", i)));
        }
        outbox.enqueueAll(c, jobs);
        c.commit();
      }
    }
    CountDownLatch relayed = new CountDownLatch(rows);
    AtomicLong perRelay0 = new AtomicLong();
    AtomicLong perRelay1 = new AtomicLong();
    String load = loadAverage();
    long start = System.nanoTime();
    try (OutboxRelay one = OutboxRelay.start(relayOptions(ds, redisUri, options, "tp-0", 1000)
            .listener(counting(relayed, perRelay0)).build());
        OutboxRelay two = OutboxRelay.start(relayOptions(ds, redisUri, options, "tp-1", 1000)
            .listener(counting(relayed, perRelay1)).build())) {
      if (!relayed.await(300, TimeUnit.SECONDS)) {
        throw new IllegalStateException(relayed.getCount() + " rows left after 300 s");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (tables == 1) {
        return;   // the warm-up
      }
      System.out.printf("{\"bench\":\"throughput\",\"relays\":2,\"batch\":1000,\"rows\":%d,\"seconds\":%.2f,"
              + "\"rows_per_s\":%.0f,\"per_relay\":[%d,%d],\"loadavg_before\":\"%s\",\"loadavg_after\":\"%s\"}%n",
          rows, seconds, rows / seconds, perRelay0.get(), perRelay1.get(), load, loadAverage());
    }
  }

  private static OutboxListener counting(CountDownLatch relayed, AtomicLong mine) {
    return new OutboxListener() {
      @Override
      public void onRelayed(List<OutboxRecord> rows) {
        mine.addAndGet(rows.size());
        rows.forEach(r -> relayed.countDown());
      }
    };
  }

  private static OutboxRelayOptions.Builder relayOptions(DataSource ds, String redisUri, OutboxOptions options,
      String name, int batch) {
    return OutboxRelayOptions.builder().outbox(options).connections(ConnectionSource.of(ds))
        .queueOptions(QueueOptions.of(RedisConfig.of(redisUri))).batchSize(batch).name(name);
  }

  private static OutboxOptions table(DataSource ds, String name) throws Exception {
    OutboxOptions options = OutboxOptions.builder().table(name).build();
    try (Connection c = ds.getConnection()) {
      OutboxSchema.create(c, options);
    }
    return options;
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
