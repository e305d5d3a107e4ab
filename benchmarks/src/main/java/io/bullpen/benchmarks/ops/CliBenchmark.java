package io.bullpen.benchmarks.ops;

import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.cli.Bullpen;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Issue 14's targets, measured on the commands as an operator runs them ({@code Bullpen.run}, in-process, after a
 * warm-up run on a small queue, except start-up, which starts the jar as a process):
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.bullpen.benchmarks.ops.CliBenchmark migrate --jobs=200000
 * java -cp benchmarks/target/benchmarks.jar io.bullpen.benchmarks.ops.CliBenchmark verify --jobs=1000000
 * java -cp benchmarks/target/benchmarks.jar io.bullpen.benchmarks.ops.CliBenchmark startup --jar=cli/target/bullpen.jar
 * </pre>
 *
 * {@code migrate} starts two embedded Redis servers (persistence off), fills the source with small jobs
 * ({@code {"i":n}}, 10 % delayed, 10 % prioritized) and times {@code migrate run} then {@code migrate verify};
 * {@code verify} fills one embedded Redis and times {@code bullpen verify}; {@code startup} times the process from
 * start to its first byte of output ({@code --help}, {@code --version}, and {@code queues} against a Redis).
 */
public final class CliBenchmark {
  private CliBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: CliBenchmark migrate|verify|startup [--name=value ...]");
      System.exit(2);
    }
    Map<String, String> options = RunInfo.options(args, 1);
    switch (args[0]) {
      case "migrate" -> migrate(Integer.parseInt(options.getOrDefault("jobs", "200000")),
          options.getOrDefault("batch-size", "500"));
      case "verify" -> verify(Integer.parseInt(options.getOrDefault("jobs", "1000000")));
      case "startup" -> startup(Path.of(options.getOrDefault("jar", "cli/target/bullpen.jar")),
          Integer.parseInt(options.getOrDefault("runs", "7")), Boolean.parseBoolean(options.getOrDefault("cds",
              "false")));
      default -> throw new IllegalArgumentException("unknown benchmark " + args[0]);
    }
    System.exit(0);
  }

  private static void migrate(int jobs, String batchSize) {
    try (RunningRedis source = RedisLauncher.startEmbedded(); RunningRedis target = RedisLauncher.startEmbedded()) {
      Map<String, String> env = Map.of("BULLPEN_MIGRATION_BATCH_SIZE", batchSize);
      fill(source.uri(), "warmup", 5_000);
      cli(env, "--redis", source.uri(), "migrate", "run", "--to", target.uri(), "--queue", "warmup");
      fill(source.uri(), "bench", jobs);
      Map<String, Object> line = RunInfo.head("migrate_run", source.uri());
      line.put("jobs", jobs);
      line.put("batch_size", Integer.parseInt(batchSize));
      line.put("load_before", RunInfo.loadAverage());
      long t0 = System.nanoTime();
      cli(env, "--redis", source.uri(), "migrate", "run", "--to", target.uri(), "--queue", "bench");
      double runSeconds = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      cli(env, "--redis", source.uri(), "migrate", "verify", "--to", target.uri(), "--queue", "bench");
      double verifySeconds = (System.nanoTime() - t1) / 1e9;
      line.put("load_after", RunInfo.loadAverage());
      line.put("run_s", RunInfo.round(runSeconds));
      line.put("run_jobs_per_s", Math.round(jobs / runSeconds));
      line.put("verify_s", RunInfo.round(verifySeconds));
      line.put("verify_jobs_per_s", Math.round(jobs / verifySeconds));
      RunInfo.print(line);
    }
  }

  private static void verify(int jobs) {
    try (RunningRedis redis = RedisLauncher.startEmbedded()) {
      fill(redis.uri(), "warmup", 5_000);
      cli(Map.of(), "--redis", redis.uri(), "verify", "warmup");
      fill(redis.uri(), "bench", jobs);
      Map<String, Object> line = RunInfo.head("verify", redis.uri());
      line.put("jobs", jobs);
      line.put("load_before", RunInfo.loadAverage());
      long t0 = System.nanoTime();
      String out = cli(Map.of(), "--redis", redis.uri(), "verify", "bench");
      double seconds = (System.nanoTime() - t0) / 1e9;
      line.put("load_after", RunInfo.loadAverage());
      line.put("verify_s", RunInfo.round(seconds));
      line.put("jobs_per_s", Math.round(jobs / seconds));
      line.put("output", out.strip().lines().reduce((a, b) -> b).orElse(""));
      RunInfo.print(line);
    }
  }

  /**
   * With {@code cds}, each command first runs once with {@code -XX:ArchiveClassesAtExit} (AppCDS, a dynamic archive
   * of the classes it loaded) and is then timed with {@code -XX:SharedArchiveFile}.
   */
  private static void startup(Path jar, int runs, boolean cds) throws Exception {
    if (!jar.toFile().isFile()) {
      throw new IllegalArgumentException(jar + " is missing: ./mvnw -q -DskipTests -pl cli -am package");
    }
    try (RunningRedis redis = RedisLauncher.startEmbedded()) {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<List<String>> commands = List.of(List.of("--help"), List.of("--version"),
          List.of("--redis", redis.uri(), "queues"));
      Map<String, Object> line = RunInfo.head("cli_startup", redis.uri());
      line.put("runs", runs);
      line.put("app_cds", cds);
      line.put("load_before", RunInfo.loadAverage());
      for (List<String> command : commands) {
        List<String> argv = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
        if (cds) {
          Path archive = Files.createTempFile("bullpen-cds", ".jsa");
          Files.delete(archive);
          List<String> train = new ArrayList<>(argv);
          train.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-jar", jar.toString()));
          train.addAll(command);
          firstOutputNanos(train);
          archive.toFile().deleteOnExit();
          argv.add("-XX:SharedArchiveFile=" + archive);
        }
        argv.addAll(List.of("-jar", jar.toString()));
        argv.addAll(command);
        firstOutputNanos(argv); // warm the OS file cache
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
          nanos[i] = firstOutputNanos(argv);
        }
        Arrays.sort(nanos);
        String name = command.get(command.size() - 1).replace("--", "");
        line.put(name + "_median_ms", RunInfo.percentileMs(nanos, 0.5));
        line.put(name + "_max_ms", RunInfo.percentileMs(nanos, 1.0));
      }
      line.put("load_after", RunInfo.loadAverage());
      line.put("jvm_flags", "-XX:TieredStopAtLevel=1 (as cli/bullpen)");
      RunInfo.print(line);
    }
  }

  /** From process start to the first byte it writes, then waits for its exit. */
  private static long firstOutputNanos(List<String> argv) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    int first = p.getInputStream().read();
    long elapsed = System.nanoTime() - t0;
    CompletableFuture.runAsync(() -> {
      try {
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    if (!p.waitFor(60, TimeUnit.SECONDS) || first < 0 || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(argv + " failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")");
    }
    return elapsed;
  }

  /** {@code jobs} small jobs in {@code queue}: 80 % waiting, 10 % delayed, 10 % prioritized. */
  static void fill(String uri, String queue, int jobs) {
    try (Queue q = new Queue(queue, QueueOptions.builder().redis(RedisConfig.of(uri)).build())) {
      JobOptions delayed = JobOptions.builder().delay(Duration.ofHours(1)).build();
      JobOptions prioritized = JobOptions.builder().priority(5).build();
      List<CompletableFuture<?>> inFlight = new ArrayList<>();
      for (int from = 0; from < jobs; from += 1000) {
        List<JobSpec> specs = new ArrayList<>();
        for (int i = from; i < Math.min(jobs, from + 1000); i++) {
          JobOptions o = i % 10 == 1 ? delayed : i % 10 == 2 ? prioritized : JobOptions.defaults();
          specs.add(JobSpec.of("n", Map.of("i", i), o));
        }
        inFlight.add(q.addBulkAsync(specs).toCompletableFuture());
        if (inFlight.size() >= 4) {
          inFlight.remove(0).join();
        }
      }
      inFlight.forEach(CompletableFuture::join);
    }
  }

  private static String cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Bullpen.run(args, new PrintWriter(out, true), new PrintWriter(err, true),
        new ByteArrayInputStream(new byte[0]), env);
    if (code != 0) {
      throw new IllegalStateException("bullpen " + String.join(" ", args) + " exited " + code + ": " + err + out);
    }
    return out.toString();
  }
}
