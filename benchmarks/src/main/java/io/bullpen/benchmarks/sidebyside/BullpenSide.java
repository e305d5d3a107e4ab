package io.bullpen.benchmarks.sidebyside;

import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobOutcome;
import io.bullpen.KeepJobs;
import io.bullpen.event.WorkerListener;
import io.bullpen.BatchOptions;
import io.bullpen.redis.BatchWorker;
import io.bullpen.JobSpec;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** The Bullpen side of every scenario, the same workload as {@code node/bullmq-side.mjs} runs with BullMQ. */
final class BullpenSide implements AutoCloseable {
  static final String QUEUE = "side-by-side-bullpen";
  static final String PREFIX = "bench";
  private static final Map<String, Object> NO_DATA = Map.of();

  private Runnable beforeMeasuring = () -> { };
  private Runnable afterMeasuring = () -> { };
  private final RedisConfig redis;
  private final RedisCommands<String, String> admin;
  private final Queue queue;

  BullpenSide(String redisUri, RedisCommands<String, String> admin) {
    this.redis = RedisConfig.of(redisUri);
    this.admin = admin;
    this.queue = new Queue(QUEUE, QueueOptions.builder().redis(redis).prefix(PREFIX).build());
  }

  Map<String, Object> run(String bench, String variant, int n) throws Exception {
    return run(bench, variant, n, () -> { }, () -> { });
  }

  /** Runs a scenario with hooks right before and right after the measured stretch (for profiling). */
  Map<String, Object> run(String bench, String variant, int n, Runnable beforeMeasuring, Runnable afterMeasuring)
      throws Exception {
    this.beforeMeasuring = beforeMeasuring;
    this.afterMeasuring = afterMeasuring;
    return switch (bench) {
      case "add" -> add(variant, n);
      case "process" -> variant.startsWith("batch") ? batch(variant, n) : process(variant, n);
      case "latency" -> latency(n);
      case "delayed" -> delayed(variant, n);
      default -> throw new IllegalArgumentException("unknown bench " + bench);
    };
  }

  /**
   * The version the queue wrote to its meta hash when it opened ({@code bullpen:<version>}), read back from Redis
   * as a dashboard would: the library's version holder is internal to queue-redis.
   */
  String metaVersion() {
    return admin.hget(key("meta"), "version");
  }

  void warmUp() throws Exception {
    for (int round = 0; round < 2; round++) {
      add("add_sequential", 1000);
      add("add_promise_all_chunk100", 1000);
      process("c10_keep", 5000);
      process("c100_removeOnComplete", 5000);
      batch("batch50_c100", 5000);
    }
  }

  private void empty() {
    queue.obliterate(true);
    if (queue.isPaused()) {
      queue.resume();
    }
  }

  private void fill(int n, JobOptions options) {
    for (int start = 0; start < n; start += 1000) {
      List<JobSpec> specs = new ArrayList<>(1000);
      for (int i = start; i < Math.min(n, start + 1000); i++) {
        specs.add(JobSpec.of("job", Map.of("i", i), options));
      }
      queue.addBulk(specs);
    }
  }

  private Map<String, Object> add(String variant, int n) throws Exception {
    empty();
    System.gc(); // garbage of the previous scenario is not this one's pause
    beforeMeasuring.run();
    Meter meter = Meter.start(admin);
    switch (variant) {
      case "add_sequential" -> {
        for (int i = 0; i < n; i++) {
          queue.add("job", Map.of("i", i));
        }
      }
      case "add_promise_all_chunk100" -> addInChunksOf100(queue, "job", n);
      case "addBulk_chunk1000" -> fill(n, null);
      default -> throw new IllegalArgumentException("unknown add variant " + variant);
    }
    Map<String, Object> m = meter.stop(n);
    afterMeasuring.run();
    m.put("jobs_per_s", Meter.round(n / ((double) m.get("wall_ms")) * 1000));
    m.put("check_wait", admin.llen(key("wait")));
    empty();
    return m;
  }

  /** Promise.all in Java: 100 adds in flight ({@code addAsync}), then wait for all of them, until {@code n}. */
  static void addInChunksOf100(Queue queue, String name, int n) {
    List<CompletableFuture<Job>> adds = new ArrayList<>(100);
    for (int start = 0; start < n; start += 100) {
      adds.clear();
      for (int i = start; i < Math.min(n, start + 100); i++) {
        adds.add(queue.addAsync(name, Map.of("i", i), null));
      }
      CompletableFuture.allOf(adds.toArray(new CompletableFuture<?>[0])).join();
    }
  }

  private WorkerOptions.Builder workerOptions(int concurrency) {
    return WorkerOptions.builder().redis(redis).prefix(PREFIX).concurrency(concurrency).autorun(false);
  }

  private Map<String, Object> process(String variant, int n) throws Exception {
    String[] parts = variant.split("_");
    int concurrency = Integer.parseInt(parts[0].substring(1));
    empty();
    fill(n, parts[1].equals("removeOnComplete") ? JobOptions.builder().removeOnComplete(KeepJobs.none()).build()
        : null);
    CountDownLatch done = new CountDownLatch(n);
    Worker worker = new Worker(QUEUE, (Job job) -> null, workerOptions(concurrency).build());
    worker.addListener(countingListener(done));
    System.gc(); // garbage of the previous scenario is not this one's pause
    beforeMeasuring.run();
    Meter meter = Meter.start(admin);
    worker.run();
    done.await(10, TimeUnit.MINUTES);
    Map<String, Object> m = meter.stop(n);
    afterMeasuring.run();
    worker.close();
    m.put("jobs_per_s", Meter.round(n / ((double) m.get("wall_ms")) * 1000));
    m.put("check_completed", admin.zcard(key("completed")));
    empty();
    return m;
  }

  /** {@code batch<size>_c<jobs in flight>}: batches of size, as many at once as make up the jobs in flight. */
  private Map<String, Object> batch(String variant, int n) throws Exception {
    String[] parts = variant.split("_c");
    int size = Integer.parseInt(parts[0].substring("batch".length()));
    int inFlight = Integer.parseInt(parts[1]);
    empty();
    fill(n, null);
    CountDownLatch done = new CountDownLatch(n);
    BatchWorker worker = new BatchWorker(QUEUE, jobs -> {
      JobOutcome[] outcomes = new JobOutcome[jobs.size()];
      Arrays.fill(outcomes, JobOutcome.completed(null));
      return Arrays.asList(outcomes);
    }, workerOptions(Math.max(1, inFlight / size)).build(), BatchOptions.of(size, Duration.ofMillis(5)));
    worker.addListener(countingListener(done));
    System.gc(); // garbage of the previous scenario is not this one's pause
    beforeMeasuring.run();
    Meter meter = Meter.start(admin);
    worker.run();
    done.await(10, TimeUnit.MINUTES);
    Map<String, Object> m = meter.stop(n);
    afterMeasuring.run();
    worker.close();
    m.put("jobs_per_s", Meter.round(n / ((double) m.get("wall_ms")) * 1000));
    m.put("check_completed", admin.zcard(key("completed")));
    empty();
    return m;
  }

  private Map<String, Object> latency(int n) throws Exception {
    empty();
    double[] latencies = new double[n];
    Arrays.fill(latencies, Double.NaN);
    CountDownLatch started = new CountDownLatch(n);
    Worker worker = new Worker(QUEUE, (Job job) -> {
      LatencyProbe probe = job.data(LatencyProbe.class);
      latencies[probe.i()] = (System.nanoTime() - probe.t()) / 1e6;
      started.countDown();
      return null;
    }, workerOptions(1).build());
    worker.run();
    Thread.sleep(500);
    System.gc(); // garbage of the previous scenario is not this one's pause
    beforeMeasuring.run();
    Meter meter = Meter.start(admin);
    for (int i = 0; i < n; i++) {
      queue.add("lat", new LatencyProbe(i, System.nanoTime()));
      Thread.sleep(1);
    }
    started.await(5, TimeUnit.MINUTES);
    Map<String, Object> m = meter.stop(n);
    afterMeasuring.run();
    worker.close();
    m.putAll(percentiles(latencies));
    empty();
    return m;
  }

  private Map<String, Object> delayed(String variant, int n) throws Exception {
    int concurrency = Integer.parseInt(variant.substring(variant.lastIndexOf("_c") + 2));
    empty();
    double[] lateness = new double[n];
    Arrays.fill(lateness, Double.NaN);
    CountDownLatch started = new CountDownLatch(n);
    Worker worker = new Worker(QUEUE, (Job job) -> {
      DelayProbe probe = job.data(DelayProbe.class);
      lateness[probe.i()] = System.currentTimeMillis() - (job.timestamp() + probe.delay());
      started.countDown();
      return null;
    }, workerOptions(concurrency).build());
    worker.run();
    Thread.sleep(500);
    System.gc(); // garbage of the previous scenario is not this one's pause
    beforeMeasuring.run();
    Meter meter = Meter.start(admin);
    for (int start = 0; start < n; start += 1000) {
      List<JobSpec> specs = new ArrayList<>(1000);
      for (int i = start; i < Math.min(n, start + 1000); i++) {
        int delay = ThreadLocalRandom.current().nextInt(1001);
        specs.add(JobSpec.of("delayed", new DelayProbe(i, delay), JobOptions.builder().delay(delay).build()));
      }
      queue.addBulk(specs);
    }
    started.await(5, TimeUnit.MINUTES);
    Map<String, Object> m = meter.stop(n);
    afterMeasuring.run();
    worker.close();
    m.putAll(percentiles(lateness));
    empty();
    return m;
  }

  record LatencyProbe(int i, long t) {}

  record DelayProbe(int i, int delay) {}

  private static WorkerListener countingListener(CountDownLatch done) {
    return new WorkerListener() {
      @Override
      public void onCompleted(Job job, Object result) {
        done.countDown();
      }

      @Override
      public void onFailed(Job job, Throwable error) {
        done.countDown();
      }
    };
  }

  static Map<String, Object> percentiles(double[] values) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    Map<String, Object> m = new LinkedHashMap<>();
    if (sorted.length == 0) {
      return m;
    }
    m.put("p50_ms", Meter.round(nearestRank(sorted, 0.5)));
    m.put("p99_ms", Meter.round(nearestRank(sorted, 0.99)));
    m.put("max_ms", Meter.round(sorted[sorted.length - 1]));
    return m;
  }

  private static double nearestRank(double[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.min(sorted.length - 1, Math.max(0, index))];
  }

  private static String key(String suffix) {
    return PREFIX + ":" + QUEUE + ":" + suffix;
  }

  @Override
  public void close() {
    queue.close();
  }
}
