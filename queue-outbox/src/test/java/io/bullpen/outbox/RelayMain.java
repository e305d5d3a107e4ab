package io.bullpen.outbox;

import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A relay in a JVM of its own, for the process tests. {@code args}: JDBC URL, Redis URI, table, mode.
 * {@code pause-after-add}: one batch with a 2 s lease; once its jobs are in Redis print {@code added <ids>} and
 * wait for a line on stdin before marking the rows (the parent kills or freezes the process there), then print
 * how the batch ended. {@code run}: a started relay (Redis client warmed up first) printing {@code added <ids>}
 * for every batch, until killed.
 */
public final class RelayMain {
  private RelayMain() {}

  public static void main(String[] args) throws Exception {
    String jdbcUrl = args[0];
    String redisUri = args[1];
    OutboxOptions outbox = OutboxOptions.builder().table(args[2]).build();
    String mode = args[3];
    PrintStream out = System.out;
    OutboxListener printing = new OutboxListener() {
      @Override
      public void onAdded(List<OutboxRecord> rows) {
        out.println("added " + rows.stream().map(r -> Long.toString(r.id())).collect(Collectors.joining(",")));
        out.flush();
        if (mode.equals("pause-after-add")) {
          awaitLine();
        }
      }
    };
    OutboxRelayOptions options = OutboxRelayOptions.builder()
        .outbox(outbox)
        .connections(ConnectionSource.of(new UrlDataSource(jdbcUrl, "postgres")))
        .queueOptions(QueueOptions.of(RedisConfig.of(redisUri)))
        .batchSize(Integer.parseInt(args.length > 4 ? args[4] : "100"))
        .lease(mode.equals("pause-after-add") ? Duration.ofSeconds(2) : Duration.ofSeconds(30))
        .listener(printing)
        .build();
    OutboxRelay relay = new OutboxRelay(options);
    if (mode.equals("pause-after-add")) {
      out.println("ready");
      out.flush();
      try {
        out.println("relayed " + relay.relayOnce());
      } catch (OutboxStorageException e) {
        out.println("failed " + e.getMessage().replace('\n', ' '));
      }
      out.flush();
      freeze();
    } else {
      // Warm up Lettuce (class loading, a first connection) so that both processes are quick off the mark.
      try (Queue warm = new Queue("relay-main-warm-up", options.queueOptions())) {
        warm.getJobCounts();
      }
      relay.start();
      out.println("ready");
      out.flush();
      freeze();
    }
  }

  private static void awaitLine() {
    try {
      new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
          .readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void freeze() {
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException ignored) {
        // only a signal ends this process
      }
    }
  }
}
