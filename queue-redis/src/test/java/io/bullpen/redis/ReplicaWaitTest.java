package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.QueueConnectionException;
import io.bullpen.testkit.RedisProcess;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.StandaloneOnly;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code RedisConfig.waitForReplicas}: an add returns only once a replica has the job. */
@RedisTest
@StandaloneOnly("WAIT on a master and a replica of its own")
class ReplicaWaitTest {

  private static String unique() {
    return "replicated-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Map<String, String> hashOn(RedisProcess server, String key) {
    RedisClient client = RedisClient.create(server.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().hgetall(key);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static void awaitReplicaInSync(RedisProcess replica) {
    WorkerFixture.await(Duration.ofSeconds(20), () -> {
      RedisClient client = RedisClient.create(replica.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        return connection.sync().info("replication").contains("master_link_status:up");
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }, () -> "replica " + replica.port() + " in sync");
  }

  @Test
  void anAddReturnsOnlyOnceTheReplicaHasTheJob() {
    try (RedisProcess master = RedisProcess.builder().start();
        RedisProcess replica = RedisProcess.builder().arg("replicaof", master.host(), String.valueOf(master.port()))
            .start()) {
      awaitReplicaInSync(replica);
      String name = unique();
      RedisConfig config = RedisConfig.builder().uri(master.uri()).waitForReplicas(1, Duration.ofSeconds(5)).build();
      try (Queue queue = new Queue(name, QueueOptions.of(config))) {
        Job single = queue.add("one", Map.of("n", 1));
        // Read at once, without waiting: the add returned, so the replica has it.
        assertEquals("one", hashOn(replica, "bull:" + name + ":" + single.id()).get("name"));
        List<Job> bulk = queue.addBulk(List.of(JobSpec.of("a", Map.of()), JobSpec.of("b", Map.of())));
        assertEquals("b", hashOn(replica, "bull:" + name + ":" + bulk.get(1).id()).get("name"));
      }
    }
  }

  @Test
  void anAddNoReplicaConfirmsFailsSayingSoAndARetryWithTheSameIdAddsNothingTwice() {
    try (RedisProcess master = RedisProcess.builder().start()) {
      String name = unique();
      RedisConfig config = RedisConfig.builder().uri(master.uri()).waitForReplicas(1, Duration.ofMillis(200)).build();
      try (Queue queue = new Queue(name, QueueOptions.of(config))) {
        JobOptions withId = JobOptions.builder().jobId("order-7").build();
        QueueConnectionException e = assertThrows(QueueConnectionException.class,
            () -> queue.add("mail", Map.of(), withId));
        assertTrue(e.getMessage().contains("only 0 of 1 replicas") && e.getMessage().contains("waitForReplicas"),
            e.getMessage());
        assertEquals("mail", hashOn(master, "bull:" + name + ":order-7").get("name"), "the master has the job");
        assertThrows(QueueConnectionException.class, () -> queue.add("mail", Map.of(), withId));
        assertEquals(1L, queue.getJobCounts().values().stream().mapToLong(Long::longValue).sum());
      }
    }
  }

  @Test
  void aBadReplicaCountOrTimeoutIsRefusedNamingIt() {
    assertEquals("replicasToWaitFor", assertThrows(InvalidOptionException.class,
        () -> RedisConfig.builder().waitForReplicas(-1, Duration.ofSeconds(1))).field());
    assertEquals("replicaWaitTimeout", assertThrows(InvalidOptionException.class,
        () -> RedisConfig.builder().waitForReplicas(1, Duration.ZERO)).field());
  }
}
