package io.bullpen.benchmarks.sidebyside;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs BullMQ 6.7.0 (through {@code node/bullmq-side.mjs}) and Bullpen on the same scenarios against one Redis,
 * alternating which goes first, and prints one JSON line per scenario and implementation, then a ratio line.
 * Scenario names are those of BullMQ's anchors ({@code ../shared/bench/bullmq}); {@code batch50_c100} is
 * Bullpen's batch worker, compared with BullMQ's {@code c100_keep}.
 *
 * <p>Usage: {@code benchmarks/side-by-side/run [--quick] [--repeat=N] [--tests=add,process,latency,delayed,batch]};
 * each scenario runs N times per side (3 by default, 1 with {@code --quick}) and the ratio is taken between the
 * medians. Redis is
 * {@code REDIS_URL} when set, else an embedded redis-server with persistence off.
 */
public final class SideBySide {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SideBySide() {}

  private record Scenario(String bench, String variant, int n, String figure, boolean higherIsBetter) {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    int repeat = -1;
    Set<String> tests = Set.of("add", "process", "batch", "latency", "delayed");
    Path nodeDir = Path.of("benchmarks/side-by-side/node");
    for (String arg : args) {
      if (arg.equals("--quick")) {
        quick = true;
      } else if (arg.startsWith("--tests=")) {
        tests = Set.of(arg.substring("--tests=".length()).split(","));
      } else if (arg.startsWith("--repeat=")) {
        repeat = Integer.parseInt(arg.substring("--repeat=".length()));
      } else if (arg.startsWith("--node-dir=")) {
        nodeDir = Path.of(arg.substring("--node-dir=".length()));
      } else {
        System.err.println("unknown argument " + arg
            + "; use [--quick] [--repeat=N] [--tests=add,process,batch,latency,delayed]");
        System.exit(2);
      }
    }
    if (!Files.isRegularFile(nodeDir.resolve("bullmq-side.mjs"))) {
      System.err.println("cannot find bullmq-side.mjs in " + nodeDir.toAbsolutePath() + " (use --node-dir=)");
      System.exit(2);
    }
    if (repeat < 1) {
      repeat = quick ? 1 : 3;
    }
    int nAdd = quick ? 5_000 : 20_000;
    int nProc = quick ? 5_000 : 20_000;
    int nLat = quick ? 500 : 2_000;
    int nDelay = quick ? 1_000 : 5_000;
    List<Scenario> scenarios = new ArrayList<>();
    if (tests.contains("add")) {
      for (String v : List.of("add_sequential", "add_promise_all_chunk100", "addBulk_chunk1000")) {
        scenarios.add(new Scenario("add", v, nAdd, "jobs_per_s", true));
      }
    }
    if (tests.contains("process") || tests.contains("batch")) {
      for (String keep : List.of("keep", "removeOnComplete")) {
        for (int c : List.of(1, 10, 100)) {
          if (tests.contains("process") || (c == 100 && keep.equals("keep"))) {
            scenarios.add(new Scenario("process", "c" + c + "_" + keep, nProc, "jobs_per_s", true));
          }
        }
      }
    }
    if (tests.contains("batch")) {
      scenarios.add(new Scenario("process", "batch50_c100", nProc * 2, "jobs_per_s", true));
    }
    if (tests.contains("latency")) {
      scenarios.add(new Scenario("latency", "add_to_start_c1_spacing1ms", nLat, "p99_ms", false));
    }
    if (tests.contains("delayed")) {
      scenarios.add(new Scenario("delayed", "delay0-1000ms_c1", nDelay, "p99_ms", false));
      scenarios.add(new Scenario("delayed", "delay0-1000ms_c100", nDelay, "p99_ms", false));
    }

    String url = System.getenv(RedisLauncher.REDIS_URL_ENV);
    try (RunningRedis redis = url != null && !url.isBlank() ? RedisLauncher.start() : RedisLauncher.startEmbedded()) {
      RedisClient client = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect();
           BullpenSide bullpen = new BullpenSide(redis.uri(), connection.sync());
           NodeSide bullmq = new NodeSide(nodeDir, redis.uri())) {
        RedisCommands<String, String> admin = connection.sync();
        print(meta(admin, redis, bullpen, bullmq.hello(), quick));
        System.err.println("[side-by-side] warming up Bullpen");
        bullpen.warmUp();
        Map<String, List<Map<String, Object>>> bullmqResults = new LinkedHashMap<>();
        int turn = 0;
        for (Scenario s : scenarios) {
          boolean comparedToOther = s.variant().startsWith("batch");
          List<Map<String, Object>> nodeRuns = new ArrayList<>();
          List<Map<String, Object>> javaRuns = new ArrayList<>();
          for (int r = 0; r < repeat; r++) {
            System.err.println("[side-by-side] " + s.bench() + " " + s.variant() + " n=" + s.n() + " run " + (r + 1));
            // Who goes first alternates, so a slow spell of the machine does not always hit the same side.
            boolean nodeFirst = turn++ % 2 == 0;
            if (!comparedToOther && nodeFirst) {
              nodeRuns.add(bullmq.run(s.bench(), s.variant(), s.n()));
            }
            javaRuns.add(bullpen.run(s.bench(), s.variant(), s.n()));
            if (!comparedToOther && !nodeFirst) {
              nodeRuns.add(bullmq.run(s.bench(), s.variant(), s.n()));
            }
            if (!comparedToOther) {
              print(line(s, "bullmq", r, nodeRuns.get(r)));
            }
            print(line(s, "bullpen", r, javaRuns.get(r)));
          }
          if (!comparedToOther) {
            bullmqResults.put(s.variant(), nodeRuns);
          }
          List<Map<String, Object>> reference = comparedToOther ? bullmqResults.get("c100_keep") : nodeRuns;
          if (reference != null && !reference.isEmpty()) {
            print(ratio(s, reference, javaRuns, comparedToOther ? "c100_keep" : s.variant()));
          }
        }
      } finally {
        client.shutdown();
      }
    }
  }

  private static Map<String, Object> meta(RedisCommands<String, String> admin, RunningRedis redis,
      BullpenSide bullpen, Map<String, Object> node, boolean quick) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", "meta");
    m.put("started", Instant.now().toString());
    m.put("quick", quick);
    m.put("java", System.getProperty("java.version"));
    m.put("bullpen", bullpen.metaVersion());
    m.put("bullmq", node.get("bullmq"));
    m.put("node", node.get("node"));
    String info = admin.info("server");
    m.put("redis_version", field(info, "redis_version"));
    m.put("redis_hz", admin.configGet("hz").get("hz"));
    m.put("redis", redis.source());
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("cpu_model", cpuModel());
    return m;
  }

  private static Map<String, Object> line(Scenario s, String impl, int run, Map<String, Object> result) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", s.bench());
    m.put("variant", s.variant());
    m.put("impl", impl);
    m.put("run", run + 1);
    m.put("n", s.n());
    m.putAll(result);
    return m;
  }

  /** The ratio line: medians over the runs of each side. */
  private static Map<String, Object> ratio(Scenario s, List<Map<String, Object>> bullmq,
      List<Map<String, Object>> bullpen, String against) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", s.bench());
    m.put("variant", s.variant());
    if (!against.equals(s.variant())) {
      m.put("against", against);
    }
    m.put("figure", "median " + s.figure());
    double a = median(bullmq, s.figure());
    double b = median(bullpen, s.figure());
    m.put("bullmq", a);
    m.put("bullpen", b);
    m.put("ratio", a == 0 ? null : Meter.round(b / a));
    m.put("better", s.higherIsBetter() ? "higher" : "lower");
    double ca = median(bullmq, "redis_cpu_us_per_job");
    double cb = median(bullpen, "redis_cpu_us_per_job");
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpu.put("bullmq", ca);
    cpu.put("bullpen", cb);
    cpu.put("ratio", ca == 0 ? null : Meter.round(cb / ca));
    m.put("redis_cpu_us_per_job", cpu);
    m.put("runs", bullpen.size());
    return m;
  }

  private static double median(List<Map<String, Object>> runs, String field) {
    double[] values = runs.stream().mapToDouble(r -> number(r.get(field))).sorted().toArray();
    if (values.length == 0) {
      return 0;
    }
    int mid = values.length / 2;
    return Meter.round(values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2);
  }

  private static double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : 0;
  }

  private static String field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  private static void print(Map<String, Object> line) throws Exception {
    System.out.println(JSON.writeValueAsString(line));
    System.out.flush();
  }
}
