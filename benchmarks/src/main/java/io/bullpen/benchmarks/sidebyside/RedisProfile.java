package io.bullpen.benchmarks.sidebyside;

import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Redis spends its time per job: runs one scenario of the side-by-side set on Bullpen alone, with Redis'
 * command statistics reset just before, and prints {@code INFO commandstats} as calls and microseconds per job
 * (commands run inside scripts included). Usage: {@code java -cp benchmarks.jar
 * io.bullpen.benchmarks.sidebyside.RedisProfile process c100_keep 20000}.
 */
public final class RedisProfile {
  private RedisProfile() {}

  public static void main(String[] args) throws Exception {
    String bench = args.length > 0 ? args[0] : "process";
    String variant = args.length > 1 ? args[1] : "c100_keep";
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    try (RunningRedis redis = RedisLauncher.startEmbedded()) {
      RedisClient client = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect();
           BullpenSide bullpen = new BullpenSide(redis.uri(), connection.sync())) {
        RedisCommands<String, String> admin = connection.sync();
        bullpen.run(bench, variant, 5_000);
        admin.configResetstat();
        String[] stats = new String[1];
        System.out.println(bullpen.run(bench, variant, n, admin::configResetstat,
            () -> stats[0] = admin.info("commandstats")));
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
