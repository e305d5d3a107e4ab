package io.bullpen.server;

import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A real server on a free loopback port over the test Redis, under a prefix of its own so that test classes never
 * see each other's queues, with an admin key; plus direct {@link Queue}s on the same prefix to arrange and check.
 */
final class TestServer implements AutoCloseable {
  final String prefix = "srv" + UUID.randomUUID().toString().substring(0, 8);
  final RunningRedis redis;
  final ApiKeys keys = ApiKeys.inMemory();
  final String adminKey = keys.create("test admin", EnumSet.of(Scope.ADMIN), List.of("*")).secret();
  final BullpenServer server;
  final Http http;
  private final List<Queue> queues = new ArrayList<>();

  TestServer(RunningRedis redis) {
    this(redis, b -> {});
  }

  TestServer(RunningRedis redis, Consumer<ServerOptions.Builder> settings) {
    this.redis = redis;
    ServerOptions.Builder options = ServerOptions.builder().redis(RedisConfig.of(redis.uri())).apiKeys(keys)
        .prefix(prefix).port(0);
    settings.accept(options);
    this.server = BullpenServer.start(options.build());
    this.http = new Http(server.uri(), adminKey);
  }

  /** A direct queue on the server's prefix (it exists in Redis from now on, so the server finds it). */
  Queue queue(String name) {
    Queue queue = new Queue(name, QueueOptions.builder().redis(RedisConfig.of(redis.uri())).prefix(prefix).build());
    queues.add(queue);
    return queue;
  }

  /** A key with these scopes on these queue patterns. */
  String key(Set<Scope> scopes, String... patterns) {
    return keys.create("test " + scopes, scopes, List.of(patterns)).secret();
  }

  @Override
  public void close() {
    queues.forEach(Queue::close);
    server.close();
  }
}
