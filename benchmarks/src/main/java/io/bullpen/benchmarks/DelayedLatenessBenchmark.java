package io.bullpen.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.JobOptions;
import io.bullpen.Processor;
import io.bullpen.JobSpec;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Bullpen's side of the delayed-job lateness scenario of {@code ../shared/bench/bullmq/bench.mjs}: an idle worker,
 * then 5000 jobs added in bulks of 1000 with delays uniform in 0–1000 ms; lateness is the wall time at processor
 * start minus the due time (the job's timestamp plus its delay). Prints one JSON line per measurement, shaped
 * like bench.mjs's, so both sides can be run against the same Redis in one run and read side by side.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.bullpen.benchmarks.DelayedLatenessBenchmark --port=6390
 * </pre>
 *
 * Options ({@code --name=value}): host, port, prefix (bench), queue (bullpen-delayed), run (1), warmup (2000),
 * n-delay (5000), delay-min-ms (0), delay-max-ms (1000), delay-concurrency (1,100), scheduler (on,off: the
 * worker's own QueueScheduler; off is BullMQ's way, promotion only when a worker fetches), bulk-chunk (1000),
 * raw-dir (if set, per-job due offsets and lateness are written there as JSON, as bench.mjs does).
 * Only the named queue is touched (obliterated between measurements).
 */
public final class DelayedLatenessBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> options;
  private final RedisConfig redis;
  private final String prefix;
  private final String queueName;
  private final StatefulRedisConnection<String, String> admin;

  private DelayedLatenessBenchmark(Map<String, String> options, StatefulRedisConnection<String, String> admin) {
    this.options = options;
    this.redis = RedisConfig.of("redis://" + opt("host", "127.0.0.1") + ":" + opt("port", "6390"));
    this.prefix = opt("prefix", "bench");
    this.queueName = opt("queue", "bullpen-delayed");
    this.admin = admin;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("unrecognised argument " + arg + " (use --name=value)");
      }
      options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    String uri = "redis://" + options.getOrDefault("host", "127.0.0.1") + ":" + options.getOrDefault("port", "6390");
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      new DelayedLatenessBenchmark(options, admin).runAll();
    } finally {
      client.shutdown();
    }
    System.exit(0);
  }

  private void runAll() throws Exception {
    ObjectNode meta = line("meta");
    meta.put("java", System.getProperty("java.version"));
    meta.put("vm", System.getProperty("java.vm.name"));
    meta.put("bullpen", Queue.class.getPackage().getImplementationVersion());
    meta.put("lettuce", RedisClient.class.getPackage().getImplementationVersion());
    meta.put("redis_version", infoField("server", "redis_version"));
    meta.put("redis_hz", infoField("server", "hz"));
    meta.put("cpus", Runtime.getRuntime().availableProcessors());
    meta.put("started", Instant.now().toString());
    meta.set("cfg", JSON.valueToTree(options));
    emit(meta);

    try (Queue queue = new Queue(queueName, QueueOptions.builder().redis(redis).prefix(prefix).build())) {
      log("warm-up " + intOpt("warmup", 2000));
      warmUp(queue);
      if (intOpt("warmup", 2000) > 0) {
        // The JIT compiles the code paths each variant uses during its first run; one unrecorded run of each
        // keeps that out of the figures (otherwise whichever variant comes first pays for it).
        log("warm-up rounds of the delayed scenario");
        for (String scheduler : opt("scheduler", "on,off").split(",")) {
          delayed(queue, 1, scheduler.trim().equals("on"), false);
        }
      }
      for (String scheduler : opt("scheduler", "on,off").split(",")) {
        for (String c : opt("delay-concurrency", "1,100").split(",")) {
          log("delayed c=" + c + " scheduler=" + scheduler);
          delayed(queue, Integer.parseInt(c.trim()), scheduler.trim().equals("on"), true);
        }
      }
      reset(queue);
    }
    log("done");
  }

  private void delayed(Queue queue, int concurrency, boolean scheduler, boolean report) throws Exception {
    int n = intOpt("n-delay", 5000);
    int min = intOpt("delay-min-ms", 0);
    int max = intOpt("delay-max-ms", 1000);
    reset(queue);
    double[] late = new double[n];
    long[] dues = new long[n];
    Arrays.fill(late, Double.NaN);
    Map<String, Long> dueById = new ConcurrentHashMap<>();
    CountDownLatch all = new CountDownLatch(n);
    Processor record = job -> {
      double now = nowMillis();
      Map<?, ?> data = job.data(Map.class);
      int i = ((Number) data.get("i")).intValue();
      long due = job.timestamp() + ((Number) data.get("delay")).longValue();
      late[i] = now - due;
      dues[i] = due;
      dueById.put(job.id(), due);
      all.countDown();
      return null;
    };
    Worker worker = new Worker(queueName, record, WorkerOptions.builder().redis(redis).prefix(prefix)
        .concurrency(concurrency).runQueueScheduler(scheduler).build());
    Thread.sleep(500);

    Meter meter = new Meter();
    double startWall = nowMillis();
    int chunk = intOpt("bulk-chunk", 1000);
    for (int i = 0; i < n; i += chunk) {
      List<JobSpec> jobs = new ArrayList<>(chunk);
      for (int j = i; j < Math.min(n, i + chunk); j++) {
        int delay = min + ThreadLocalRandom.current().nextInt(max - min + 1);
        jobs.add(JobSpec.of("delayed", Map.of("i", j, "delay", delay), JobOptions.builder().delay(delay).build()));
      }
      queue.addBulk(jobs);
    }
    double addPhase = meter.elapsedMillis();
    boolean finished = all.await(intOpt("timeout-ms", 300_000) + max, TimeUnit.MILLISECONDS);
    ObjectNode result = line("delayed");
    result.put("variant", "delay" + min + "-" + max + "ms_c" + concurrency + (scheduler ? "" : "_noScheduler"));
    result.put("concurrency", concurrency);
    result.put("queue_scheduler", scheduler);
    result.put("n", n);
    meter.stop(result);
    worker.close();
    result.put("add_phase_ms", round(addPhase));
    result.set("lateness_ms", percentiles(late));
    result.put("early_starts", Arrays.stream(late).filter(v -> v < -1).count());
    // The same, only for jobs due after the last bulk was stored: what the scheduler and worker do once the
    // producer is out of the way (jobs due while 1000-job bulks are still being written arrive late already).
    double addEnd = startWall + addPhase;
    double[] afterAdds = new double[n];
    for (int i = 0; i < n; i++) {
      afterAdds[i] = dues[i] > addEnd ? late[i] : Double.NaN;
    }
    result.set("lateness_due_after_adds_ms", percentiles(afterAdds));
    result.set("promotion_lateness_ms", percentiles(promotionLateness(dueById)));
    String rawDir = opt("raw-dir", "");
    if (report && !rawDir.isEmpty()) {
      ObjectNode raw = JSON.createObjectNode();
      var offsets = raw.putArray("due_offset_ms");
      var lateness = raw.putArray("lateness_ms");
      for (int i = 0; i < n; i++) {
        offsets.add(round(dues[i] - startWall));
        lateness.add(round(late[i]));
      }
      java.nio.file.Path dir = java.nio.file.Path.of(rawDir);
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.writeString(dir.resolve("run" + opt("run", "1") + "-bullpen-delayed-c" + concurrency
          + (scheduler ? "" : "-noScheduler") + ".json"), raw.toString());
    }
    if (!finished) {
      result.put("error", "timeout: " + all.getCount() + " jobs never started");
    }
    if (report) {
      emit(result);
    }
  }

  /** When each job reached wait (its `waiting` event with prev `delayed`) minus its due time. */
  private double[] promotionLateness(Map<String, Long> dueById) {
    String events = prefix + ":" + queueName + ":events";
    List<Double> values = new ArrayList<>();
    String from = "-";
    while (true) {
      List<StreamMessage<String, String>> page = admin.sync().xrange(events, Range.create(from, "+"),
          Limit.from(10_000));
      for (StreamMessage<String, String> m : page) {
        Map<String, String> body = m.getBody();
        String jobId = body.get("jobId");
        Long due = jobId == null ? null : dueById.get(jobId);
        if (due != null && "waiting".equals(body.get("event")) && "delayed".equals(body.get("prev"))) {
          values.add(Long.parseLong(m.getId().substring(0, m.getId().indexOf('-'))) - (double) due);
        }
      }
      if (page.size() < 10_000) {
        break;
      }
      from = "(" + page.get(page.size() - 1).getId();
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private void warmUp(Queue queue) throws Exception {
    int n = intOpt("warmup", 2000);
    if (n <= 0) {
      return;
    }
    reset(queue);
    for (int i = 0; i < n / 2; i++) {
      queue.add("job", Map.of("i", i));
    }
    List<JobSpec> bulk = new ArrayList<>();
    for (int i = 0; i < n / 2; i++) {
      bulk.add(JobSpec.of("job", Map.of("i", i), JobOptions.builder().delay(i % 50).build()));
    }
    queue.addBulk(bulk);
    CountDownLatch all = new CountDownLatch(n);
    Processor count = job -> {
      all.countDown();
      return null;
    };
    try (Worker worker = new Worker(queueName, count, WorkerOptions.builder().redis(redis).prefix(prefix)
        .concurrency(10).build())) {
      if (!all.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("warm-up did not finish");
      }
    }
    reset(queue);
  }

  private static void reset(Queue queue) {
    queue.obliterate(true);
    queue.resume();
  }

  /** CPU of this JVM and of Redis over the measured interval, as % of one core, as bench.mjs reports them. */
  private final class Meter {
    private final long wallStart = System.nanoTime();
    private final long cpuStart = processCpuNanos();
    private final double redisStart = redisCpuSeconds();

    double elapsedMillis() {
      return (System.nanoTime() - wallStart) / 1e6;
    }

    void stop(ObjectNode into) {
      double wall = elapsedMillis();
      into.put("wall_ms", round(wall));
      into.put("java_cpu_pct", round((processCpuNanos() - cpuStart) / 1e6 / wall * 100));
      into.put("redis_cpu_pct", round((redisCpuSeconds() - redisStart) * 1000 / wall * 100));
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private double redisCpuSeconds() {
    double seconds = 0;
    for (String field : List.of("used_cpu_sys", "used_cpu_user")) {
      seconds += Double.parseDouble(infoField("cpu", field));
    }
    return seconds;
  }

  private String infoField(String section, String field) {
    for (String row : admin.sync().info(section).split("\r?\n")) {
      if (row.startsWith(field + ":")) {
        return row.substring(field.length() + 1).trim();
      }
    }
    return "";
  }

  /** Nearest-rank percentiles, as bench.mjs computes them. */
  private static ObjectNode percentiles(double[] values) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    ObjectNode p = JSON.createObjectNode();
    p.put("count", sorted.length);
    if (sorted.length == 0) {
      return p;
    }
    p.put("min", round(sorted[0]));
    p.put("p50", round(rank(sorted, 0.5)));
    p.put("p90", round(rank(sorted, 0.9)));
    p.put("p99", round(rank(sorted, 0.99)));
    p.put("max", round(sorted[sorted.length - 1]));
    p.put("mean", round(Arrays.stream(sorted).average().orElse(Double.NaN)));
    return p;
  }

  private static double rank(double[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.min(sorted.length - 1, Math.max(0, index))];
  }

  /** Wall-clock epoch milliseconds with the sub-millisecond part. */
  private static double nowMillis() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private ObjectNode line(String bench) {
    ObjectNode node = JSON.createObjectNode();
    node.put("run", opt("run", "1"));
    node.put("bench", bench);
    node.put("side", "bullpen");
    return node;
  }

  private static void emit(ObjectNode line) {
    System.out.println(line);
    System.out.flush();
  }

  private void log(String message) {
    System.err.println("[bullpen bench run=" + opt("run", "1") + "] " + message);
  }

  private String opt(String name, String fallback) {
    String env = System.getenv("BENCH_" + name.toUpperCase().replace('-', '_'));
    return options.getOrDefault(name, env != null ? env : fallback);
  }

  private int intOpt(String name, int fallback) {
    return Integer.parseInt(opt(name, Integer.toString(fallback)));
  }
}
