package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import org.junit.jupiter.api.Test;

@RedisTest
class WorkerJvmLifetimeTest {
  @Test
  void aWorkerKeepsTheJvmAliveAfterMainReturnsUntilItIsClosed(RunningRedis server) throws Exception {
    String queueName = RedisProbe.uniqueQueueName();
    try (ChildJvm child = ChildJvm.start(MainReturnsWorkerMain.class, server.uri(), queueName);
        Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(server.uri())))) {
      child.await("ready", 60);
      // main() has returned; the job is added only now, so only a JVM still running can process it.
      String id = queue.add("after-main", null).id();
      assertEquals(id, child.await("processed", 60));
      assertTrue(child.awaitExit(60), "the JVM ended once the worker was closed");
    }
  }
}
