package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bullpen.JobState;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RedisTest
class ScriptReloadTest {

  @Test
  void scriptsFlushedFromRedisAreLoadedAgainOnNoscript(RunningRedis redis) {
    // SCRIPT FLUSH is server-wide (on a cluster: sent to every node): only on a Redis this test run started itself.
    assumeTrue(!RunningRedis.SOURCE_REDIS_URL.equals(redis.source()), "needs a Redis started by the tests");
    try (DirectRedis raw = DirectRedis.connect(redis);
        Queue queue = new Queue(RedisProbe.uniqueQueueName(), QueueOptions.of(RedisConfig.of(redis.uri())))) {
      queue.add("first", Map.of("n", 1));
      // Scripts are cached per server: ask the one holding the queue (on a cluster, the master of its slot).
      io.lettuce.core.api.sync.RedisCommands<String, String> owner = raw.nodeFor("bull:" + queue.name() + ":id");
      assertEquals("OK", raw.sync().scriptFlush());
      assertEquals(java.util.List.of(false), owner.scriptExists(
          io.bullpen.redis.internal.script.Script.ADD_JOBS.lua().sha()));

      queue.add("second", Map.of("n", 2));

      assertEquals(2L, queue.getJobCounts(JobState.WAITING).get(JobState.WAITING));
      assertEquals(java.util.List.of(true), owner.scriptExists(
          io.bullpen.redis.internal.script.Script.ADD_JOBS.lua().sha()));
    }
  }
}
