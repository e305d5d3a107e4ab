package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bullpen.JobState;
import io.bullpen.redis.internal.script.FunctionLibrary;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.FlushMode;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RedisTest
class ScriptReloadTest {

  @Test
  void scriptsAndFunctionsFlushedFromRedisAreLoadedAgainWithoutFailingACall(RunningRedis redis) {
    // SCRIPT FLUSH and FUNCTION FLUSH are server-wide: only on a Redis this test run started itself.
    assumeTrue(!RunningRedis.SOURCE_REDIS_URL.equals(redis.source()), "needs a Redis started by the tests");
    try (DirectRedis raw = DirectRedis.connect(redis);
        Queue queue = new Queue(RedisProbe.uniqueQueueName(), QueueOptions.of(RedisConfig.of(redis.uri())))) {
      queue.add("first", Map.of("n", 1));
      // Scripts and functions are kept per server: ask the one holding the queue (on a cluster, its slot's master).
      RedisCommands<String, String> owner = raw.nodeFor("bull:" + queue.name() + ":id");
      String library = FunctionLibrary.bullpen().name();
      assertEquals(1, owner.functionList(library).size(), "library loaded before the first add");
      for (RedisCommands<String, String> node : raw.nodes()) {
        node.scriptFlush();
        node.functionFlush(FlushMode.SYNC);
      }
      assertEquals(List.of(false), owner.scriptExists(Script.ADD_JOBS.lua().sha()));

      // FCALL finds no function, EVALSHA no script: the add runs as EVAL, which caches the script, and the library
      // is loaded again behind it.
      queue.add("second", Map.of("n", 2));

      assertEquals(2L, queue.getJobCounts(JobState.WAITING).get(JobState.WAITING));
      assertEquals(List.of(true), owner.scriptExists(Script.ADD_JOBS.lua().sha()));
      WorkerFixture.await(() -> owner.functionList(library).size() == 1, "library loaded again");
      queue.add("third", Map.of("n", 3));
      assertEquals(3L, queue.getJobCounts(JobState.WAITING).get(JobState.WAITING));
    }
  }
}
