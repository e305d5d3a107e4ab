package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bullpen.JobState;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RedisTest
class ScriptReloadTest {

  @Test
  void scriptsFlushedFromRedisAreLoadedAgainOnNoscript(RunningRedis redis) {
    // SCRIPT FLUSH is server-wide: only on a Redis this test run started itself.
    assumeTrue(redis.canRestart(), "needs a Redis started by the tests");
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> raw = client.connect();
        Queue queue = new Queue(RedisProbe.uniqueQueueName(), QueueOptions.of(RedisConfig.of(redis.uri())))) {
      queue.add("first", Map.of("n", 1));
      assertEquals("OK", raw.sync().scriptFlush());
      assertEquals(java.util.List.of(false), raw.sync().scriptExists(
          io.bullpen.redis.internal.script.Script.ADD_JOBS.lua().sha()));

      queue.add("second", Map.of("n", 2));

      assertEquals(2L, queue.getJobCounts(JobState.WAITING).get(JobState.WAITING));
      assertEquals(java.util.List.of(true), raw.sync().scriptExists(
          io.bullpen.redis.internal.script.Script.ADD_JOBS.lua().sha()));
    } finally {
      io.bullpen.redis.internal.connection.RedisConnections.shutdown(client);
    }
  }
}
