package io.bullpen.testkit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.time.Duration;
import java.util.function.Function;

/**
 * Runs admin commands on one test-kit server at a time through Lettuce: a fresh connection per call with short
 * timeouts, so a killed or frozen node costs one bounded failure and never leaves a half-dead connection behind.
 */
final class NodeClient implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final RedisClient client;

  NodeClient() {
    client = RedisClient.create();
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
        .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
        .build());
  }

  /** Runs {@code commands} on {@code node}; Lettuce's exceptions pass through. */
  <T> T call(RedisProcess node, Function<RedisCommands<String, String>, T> commands) {
    try (StatefulRedisConnection<String, String> connection = client.connect(uriOf(node))) {
      return commands.apply(connection.sync());
    }
  }

  /** Runs {@code commands} on the sentinel {@code sentinel}. */
  <T> T callSentinel(RedisProcess sentinel, Function<RedisSentinelCommands<String, String>, T> commands) {
    try (StatefulRedisSentinelConnection<String, String> connection = client.connectSentinel(uriOf(sentinel))) {
      return commands.apply(connection.sync());
    }
  }

  /** One field of {@code INFO <section>} (e.g. {@code role} of {@code replication}), or null if absent. */
  String infoField(RedisProcess node, String section, String field) {
    String info = call(node, redis -> redis.info(section));
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return null;
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  private static RedisURI uriOf(RedisProcess node) {
    return RedisURI.builder().withHost(node.host()).withPort(node.port()).withTimeout(TIMEOUT).build();
  }
}
