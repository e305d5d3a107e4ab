package io.bullpen.benchmarks.sidebyside;

import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Redis spends its time per job: runs one scenario of the side-by-side set on Bullpen alone, with Redis'
 * command statistics reset just before, and prints {@code INFO commandstats} as calls and microseconds per job
 * (commands run inside scripts included). Usage: {@code java -cp benchmarks.jar
 * io.bullpen.benchmarks.sidebyside.RedisProfile process c100_keep 20000}; against {@code REDIS_URL} when set, else an
 * embedded Redis. It first runs the same scenario three times to warm up; {@code -Dprofile.jfr=<file>} records
 * the measured run (only) with JFR, Java samples every millisecond; {@code -Dprofile.async=<file>.html} profiles it
 * with async-profiler instead (its jar on the class path; {@code -Dprofile.event=cpu|wall|alloc});
 * {@code -Dprofile.flushScripts=true} empties Redis' script cache before the measured run, so only the scripts
 * it uses are loaded (to see whether the size of the cache changes what each script call costs).
 */
public final class RedisProfile {
  private static final int WARM_UP_ROUNDS = 3;

  private RedisProfile() {}

  /** JFR's profiling settings with Java samples every millisecond, for the measured stretch only. */
  private static Recording startRecording() {
    try {
      Recording recording = new Recording(Configuration.getConfiguration("profile"));
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
      recording.start();
      return recording;
    } catch (IOException | ParseException e) {
      throw new UncheckedIOException(new IOException("cannot start a JFR recording", e));
    }
  }

  /**
   * Runs an async-profiler command through its Java API, found on the class path ({@code
   * tools.profiler:async-profiler}'s jar), so the benchmarks need no compile-time dependency on it.
   */
  private static void asyncProfiler(String command) {
    try {
      Class<?> type = Class.forName("one.profiler.AsyncProfiler");
      Object profiler = type.getMethod("getInstance").invoke(null);
      type.getMethod("execute", String.class).invoke(profiler, command);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("async-profiler: " + command + " failed (is its jar on the class path?)", e);
    }
  }

  private static void stopRecording(Recording recording, String file) {
    try {
      recording.stop();
      recording.dump(Path.of(file));
      recording.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) throws Exception {
    String bench = args.length > 0 ? args[0] : "process";
    String variant = args.length > 1 ? args[1] : "c100_keep";
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    String url = System.getenv(RedisLauncher.REDIS_URL_ENV);
    try (RunningRedis redis = url == null || url.isBlank() ? RedisLauncher.startEmbedded() : RedisLauncher.start()) {
      RedisClient client = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect();
           BullpenSide bullpen = new BullpenSide(redis.uri(), connection.sync())) {
        RedisCommands<String, String> admin = connection.sync();
        // Warm up with the measured workload itself, so the JIT compiler is done before the measured run.
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
          bullpen.run(bench, variant, n);
        }
        admin.configResetstat();
        String[] stats = new String[1];
        String jfrFile = System.getProperty("profile.jfr");
        String asyncFile = System.getProperty("profile.async");
        Recording[] recording = new Recording[1];
        boolean flushScripts = Boolean.getBoolean("profile.flushScripts");
        System.out.println(bullpen.run(bench, variant, n, () -> {
          if (flushScripts) {
            admin.scriptFlush();
          }
          admin.configResetstat();
          if (jfrFile != null) {
            recording[0] = startRecording();
          }
          if (asyncFile != null) {
            asyncProfiler("start,event=" + System.getProperty("profile.event", "cpu") + ",interval=1ms");
          }
        }, () -> {
          stats[0] = admin.info("commandstats");
          if (recording[0] != null) {
            stopRecording(recording[0], jfrFile);
          }
          if (asyncFile != null) {
            asyncProfiler("stop,file=" + asyncFile);
          }
        }));
        List<String[]> rows = new ArrayList<>();
        for (String line : stats[0].split("\r?\n")) {
          if (!line.startsWith("cmdstat_")) {
            continue;
          }
          String name = line.substring(8, line.indexOf(':'));
          long calls = 0;
          long usec = 0;
          for (String part : line.substring(line.indexOf(':') + 1).split(",")) {
            if (part.startsWith("calls=")) {
              calls = Long.parseLong(part.substring(6));
            } else if (part.startsWith("usec=")) {
              usec = Long.parseLong(part.substring(5));
            }
          }
          rows.add(new String[] {name, String.format("%.2f", calls / (double) n), String.format("%.2f", usec / (double) n)});
        }
        rows.sort((a, b) -> Double.compare(Double.parseDouble(b[2]), Double.parseDouble(a[2])));
        System.out.printf("%-22s %10s %12s%n", "command", "calls/job", "usec/job");
        for (String[] row : rows) {
          System.out.printf("%-22s %10s %12s%n", row[0], row[1], row[2]);
        }
      } finally {
        client.shutdown();
      }
    }
  }
}
