package io.bullpen.benchmarks.sidebyside;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How Bullpen's cost per job grows with what a queue holds. For each backlog ({@code waiting}: jobs not yet run;
 * {@code delayed}: jobs due in an hour; {@code completed}: jobs run and kept) and each size, it builds the backlog,
 * reads Redis' memory per backlog job (from 100,000 jobs on; smaller backlogs are within the allocator's noise),
 * and then measures on top of it: 20,000 adds ({@code addAsync}, 100 in flight), 20,000 jobs processed at
 * concurrency 10 (timed from the started worker's first fetch), and (except behind a waiting backlog, which a new job queues
 * behind) the add-to-start latency of 500 jobs added 1 ms apart to an idle worker. One JSON line per backlog.
 * Usage: {@code java -cp benchmarks.jar io.bullpen.benchmarks.sidebyside.CostGrowth [sizes, default
 * 1000,100000,1000000] [kinds, default waiting,delayed,completed]}; against {@code REDIS_URL} when set, else an
 * embedded Redis.
 */
public final class CostGrowth {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "growth";
  private static final int PROBE = 20_000;
  private static final int LATENCY_PROBE = 500;
  private static final int FILL_CHUNK = 1_000;
  private static final long ONE_HOUR_MILLIS = 3_600_000;

  private final RedisConfig redis;
  private final RedisCommands<String, String> admin;

  private CostGrowth(RedisConfig redis, RedisCommands<String, String> admin) {
    this.redis = redis;
    this.admin = admin;
  }

  public static void main(String[] args) throws Exception {
    int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "1000,100000,1000000").split(","))
        .mapToInt(CostGrowth::size).toArray();
    String[] kinds = (args.length > 1 ? args[1] : "waiting,delayed,completed").split(",");
    for (String kind : kinds) {
      if (!List.of("waiting", "delayed", "completed").contains(kind)) {
        throw new IllegalArgumentException("kinds: unknown backlog '" + kind + "' (waiting, delayed, completed)");
      }
    }
    String url = System.getenv(RedisLauncher.REDIS_URL_ENV);
    try (RunningRedis server = url == null || url.isBlank() ? RedisLauncher.startEmbedded() : RedisLauncher.start()) {
      RedisClient client = RedisClient.create(server.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        RedisCommands<String, String> admin = connection.sync();
        System.out.println("{\"bench\":\"meta\",\"redis_version\":\"" + info(admin, "server", "redis_version")
            + "\",\"mem_allocator\":\"" + info(admin, "memory", "mem_allocator") + "\"}");
        CostGrowth growth = new CostGrowth(RedisConfig.of(server.uri()), admin);
        growth.run("warmup", 1_000);
        for (String kind : kinds) {
          for (int size : sizes) {
            System.out.println(JSON.writeValueAsString(growth.run(kind, size)));
          }
        }
      } finally {
        client.shutdown();
      }
    }
  }

  private static int size(String value) {
    try {
      int size = Integer.parseInt(value.trim());
      if (size > 0) {
        return size;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("sizes: '" + value + "' is not a positive whole number of jobs");
  }

  private Map<String, Object> run(String kind, int size) throws Exception {
    String name = "growth-" + kind + "-" + size;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", "growth");
    m.put("backlog", kind);
    m.put("size", size);
    try (Queue queue = new Queue(name, QueueOptions.builder().redis(redis).prefix(PREFIX).build())) {
      queue.obliterate(true);
      long memoryBefore = usedMemory();
      long t0 = System.nanoTime();
      switch (kind) {
        case "waiting", "warmup" -> fill(queue, size + PROBE, null);
        case "delayed" -> fill(queue, size, JobOptions.builder().delay(ONE_HOUR_MILLIS).build());
        case "completed" -> {
          fill(queue, size, null);
          process(queue, name, size, 100, () -> { });
        }
        default -> throw new IllegalArgumentException("unknown backlog " + kind + " (waiting, delayed, completed)");
      }
      m.put("build_s", Meter.round((System.nanoTime() - t0) / 1e9));
      long jobs = kind.equals("waiting") || kind.equals("warmup") ? size + PROBE : size;
      if (size >= 100_000) {
        m.put("redis_bytes_per_backlog_job", (usedMemory() - memoryBefore) / jobs);
      }

      System.gc();
      Meter adding = Meter.start(admin);
      BullpenSide.addInChunksOf100(queue, "probe", PROBE);
      Map<String, Object> added = adding.stop(PROBE);
      m.put("add_jobs_per_s", Meter.round(PROBE / ((double) added.get("wall_ms")) * 1000));
      m.put("add_redis_us_per_job", added.get("redis_cpu_us_per_job"));

      Meter[] processing = new Meter[1];
      process(queue, name, PROBE, 10, () -> {
        System.gc();
        processing[0] = Meter.start(admin);
      });
      Map<String, Object> processed = processing[0].stop(PROBE);
      m.put("process_c10_jobs_per_s", Meter.round(PROBE / ((double) processed.get("wall_ms")) * 1000));
      m.put("process_c10_redis_us_per_job", processed.get("redis_cpu_us_per_job"));

      if (!kind.equals("waiting")) {
        m.putAll(addToStart(queue, name));
      }
      long t1 = System.nanoTime();
      queue.obliterate(true);
      m.put("obliterate_s", Meter.round((System.nanoTime() - t1) / 1e9));
    }
    return m;
  }

  private static void fill(Queue queue, int n, JobOptions options) {
    for (int start = 0; start < n; start += FILL_CHUNK) {
      List<JobSpec> specs = new ArrayList<>(FILL_CHUNK);
      for (int i = start; i < Math.min(n, start + FILL_CHUNK); i++) {
        specs.add(JobSpec.of("job", Map.of("i", i), options));
      }
      queue.addBulk(specs);
    }
  }

  /** Runs a no-op worker at {@code concurrency} until {@code n} jobs completed; {@code beforeRun} just before. */
  private void process(Queue queue, String name, int n, int concurrency, Runnable beforeRun)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(n);
    try (Worker worker = new Worker(name, (Job job) -> null, options(concurrency))) {
      worker.addListener(new WorkerListener() {
        @Override
        public void onCompleted(Job job, Object result) {
          done.countDown();
        }
      });
      beforeRun.run();
      worker.run();
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException(name + ": " + done.getCount() + " of " + n + " jobs not completed");
      }
    }
  }

  /** add → processor start, with an idle worker at concurrency 1, jobs added 1 ms apart. */
  private Map<String, Object> addToStart(Queue queue, String name) throws InterruptedException {
    double[] latencies = new double[LATENCY_PROBE];
    CountDownLatch started = new CountDownLatch(LATENCY_PROBE);
    try (Worker worker = new Worker(name, (Job job) -> {
      BullpenSide.LatencyProbe probe = job.data(BullpenSide.LatencyProbe.class);
      latencies[probe.i()] = (System.nanoTime() - probe.t()) / 1e6;
      started.countDown();
      return null;
    }, options(1))) {
      worker.run();
      Thread.sleep(300); // the worker is idle, waiting on the marker
      for (int i = 0; i < LATENCY_PROBE; i++) {
        queue.add("latency", new BullpenSide.LatencyProbe(i, System.nanoTime()));
        Thread.sleep(1);
      }
      if (!started.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException(name + ": latency probe jobs not started");
      }
    }
    Map<String, Object> percentiles = BullpenSide.percentiles(latencies);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("add_to_start_p50_ms", percentiles.get("p50_ms"));
    m.put("add_to_start_p99_ms", percentiles.get("p99_ms"));
    return m;
  }

  private WorkerOptions options(int concurrency) {
    return WorkerOptions.builder().redis(redis).prefix(PREFIX).concurrency(concurrency).autorun(false).build();
  }

  private long usedMemory() {
    return Long.parseLong(info(admin, "memory", "used_memory"));
  }

  private static String info(RedisCommands<String, String> admin, String section, String field) {
    for (String line : admin.info(section).split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return "";
  }
}
