package io.bullpen.benchmarks.sidebyside;

import io.lettuce.core.api.sync.RedisCommands;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time and CPU over one measured stretch: this JVM's, and Redis' own from {@code INFO cpu}. */
final class Meter {
  private final RedisCommands<String, String> admin;
  private final double redis0;
  private final long cpu0;
  private final long t0;

  private Meter(RedisCommands<String, String> admin) {
    this.admin = admin;
    this.redis0 = redisCpuSeconds(admin);
    this.cpu0 = processCpuNanos();
    this.t0 = System.nanoTime();
  }

  static Meter start(RedisCommands<String, String> admin) {
    return new Meter(admin);
  }

  /** wall_ms, client_cpu_pct, redis_cpu_pct and redis_cpu_us_per_job for {@code jobs} jobs. */
  Map<String, Object> stop(long jobs) {
    double wallMs = (System.nanoTime() - t0) / 1e6;
    double cpuMs = (processCpuNanos() - cpu0) / 1e6;
    double redisSeconds = redisCpuSeconds(admin) - redis0;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("wall_ms", round(wallMs));
    m.put("client_cpu_pct", round(cpuMs / wallMs * 100));
    m.put("redis_cpu_pct", round(redisSeconds * 1000 / wallMs * 100));
    m.put("redis_cpu_us_per_job", round(redisSeconds * 1e6 / jobs));
    return m;
  }

  static double redisCpuSeconds(RedisCommands<String, String> admin) {
    double total = 0;
    for (String line : admin.info("cpu").split("\r?\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return total;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }
}
