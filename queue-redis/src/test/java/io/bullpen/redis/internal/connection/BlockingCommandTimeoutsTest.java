package io.bullpen.redis.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@RedisTest
@SuppressWarnings("unchecked") // Lettuce's xread takes generic varargs
class BlockingCommandTimeoutsTest {

  @Test
  void blockingReadLongerThanTheCommandTimeoutIsNotCutOff(RunningRedis redis) {
    RedisConfig config = RedisConfig.builder().uri(redis.uri()).commandTimeout(Duration.ofMillis(300)).build();
    try (SharedConnections shared = SharedConnections.create(config, null)) {
      shared.allowBlocking(Duration.ofMillis(100));
      shared.allowBlocking(Duration.ofSeconds(2));
      RedisLink connection = shared.openDedicated(null);
      long start = System.nanoTime();
      var reply = connection.sync().xread(XReadArgs.Builder.block(Duration.ofMillis(1_200)),
          XReadArgs.StreamOffset.latest("events-" + UUID.randomUUID()));
      assertTrue(reply == null || reply.isEmpty());
      assertTrue(System.nanoTime() - start >= 1_000_000_000L, "the read should really have blocked");
      // Ordinary commands keep the short timeout: a server-side sleep longer than it times out.
      assertThrows(RedisCommandTimeoutException.class,
          () -> connection.sync().eval("local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
              + "while true do local n = redis.call('TIME') if n[1] * 1000000 + n[2] - s > 800000 then break end end "
              + "return 1", io.lettuce.core.ScriptOutputType.INTEGER, new String[0]));
    }
  }

  @Test
  void aReadBlockingLongerThanItsAllowanceTimesOut(RunningRedis redis) {
    RedisConfig config = RedisConfig.builder().uri(redis.uri()).commandTimeout(Duration.ofMillis(300)).build();
    ClientResources resources = RedisConnections.newResources(config);
    BlockingCommandTimeouts timeouts = new BlockingCommandTimeouts(config.commandTimeout(), Duration.ofMillis(200));
    XReadArgs.StreamOffset<String> stream = XReadArgs.StreamOffset.latest("events-" + UUID.randomUUID());
    if (config.isCluster()) {
      RedisClusterClient client = RedisConnections.newClusterClient(config, resources, timeouts);
      try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
        assertThrows(RedisCommandTimeoutException.class,
            () -> connection.sync().xread(XReadArgs.Builder.block(Duration.ofMillis(1_200)), stream));
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        RedisConnections.shutdown(resources);
      }
      return;
    }
    RedisClient client = RedisConnections.newClient(config, resources, timeouts);
    try (StatefulRedisConnection<String, String> connection = client.connect(config.redisUri())) {
      assertThrows(RedisCommandTimeoutException.class,
          () -> connection.sync().xread(XReadArgs.Builder.block(Duration.ofMillis(1_200)), stream));
    } finally {
      RedisConnections.shutdown(client);
      RedisConnections.shutdown(resources);
    }
  }
}
