package io.bullpen.benchmarks.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every result line carries: when, on what, and how busy the machine was; and the JSON line itself. */
final class RunInfo {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunInfo() {}

  /** The 1-, 5- and 15-minute load averages from {@code /proc/loadavg}, or the JVM's 1-minute figure. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return String.join(" ", Arrays.copyOf(parts, 3));
    } catch (IOException e) {
      return String.valueOf(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
          .getSystemLoadAverage());
    }
  }

  static String redisVersion(String uri) {
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      for (String line : c.sync().info("server").split("\r?\n")) {
        if (line.startsWith("redis_version:")) {
          return line.substring("redis_version:".length()).trim();
        }
      }
      return "unknown";
    } finally {
      client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2));
    }
  }

  /** A result line's common head: bench, date, JDK, cores, Redis version. */
  static Map<String, Object> head(String bench, String redisUri) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", bench);
    m.put("date", Instant.now().toString());
    m.put("jdk", System.getProperty("java.version"));
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("redis", redisUri == null ? null : redisVersion(redisUri));
    return m;
  }

  static void print(Map<String, Object> line) {
    try {
      System.out.println(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code --name=value} options. */
  static Map<String, String> options(String[] args, int from) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("options are --name=value, was " + a);
      }
      options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    return options;
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  /** The value at quantile {@code q} of sorted {@code values}, in milliseconds from nanoseconds. */
  static double percentileMs(long[] sortedNanos, double q) {
    int at = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
    return round(sortedNanos[Math.max(0, at)] / 1e6);
  }
}
