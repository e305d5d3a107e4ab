package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.Deduplication;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.NodeBullmq;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Flow control shared with the real bullmq@6.7.0: the global rate limit, and deduplication ids. */
@RedisTest
class FlowControlInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static NodeBullmq node() {
    NodeBullmq node = new NodeBullmq();
    if (System.getenv("BULLPEN_REQUIRE_NODE") != null) {
      assertTrue(node.isAvailable(), "BULLPEN_REQUIRE_NODE is set but node/BullMQ is not available");
    }
    assumeTrue(node.isAvailable(), "node with BullMQ is not available");
    return node;
  }

  @Test
  void nodeAndJavaWorkersTogetherRespectTheGlobalRateLimit(RunningRedis redis) throws Exception {
    NodeBullmq node = node();
    String name = QueueNames.unique("q");
    int jobs = 24;
    int max = 4;
    long window = 400;
    try (Queue queue = new Queue(name, QueueOptions.of(RedisConfig.of(redis.uri())));
        DirectRedis direct = DirectRedis.connect(redis)) {
      RedisClusterCommands<String, String> raw = direct.sync();
      queue.limits().setGlobalRateLimit(max, window);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        ids.add(queue.add("call", Map.of("i", i)).id());
      }
      CompletableFuture<List<String>> nodeRun = CompletableFuture.supplyAsync(() -> node.run(
          "rate-limited-worker.mjs", Map.of("REDIS_URL", redis.uri(), "QUEUE", name, "NAME", "node-w",
              "COUNT", Integer.toString(jobs), "SECONDS", "30"), Duration.ofSeconds(60)));
      try (Worker worker = new Worker(name, job -> "java", WorkerOptions.builder().redis(RedisConfig.of(redis.uri()))
          .name("java-w").concurrency(4).drainDelay(Duration.ofMillis(200)).build())) {
        List<String> out = nodeRun.get();
        JsonNode done = JSON.readTree(out.get(out.size() - 1));
        assertEquals("done", done.get("type").asText(), String.join("\n", out));
      }
      List<Long> starts = new ArrayList<>();
      int byNode = 0;
      int byJava = 0;
      for (String id : ids) {
        Map<String, String> hash = raw.hgetall("bull:" + name + ":" + id);
        assertTrue(hash.containsKey("finishedOn"), "job " + id + " finished: " + hash);
        starts.add(Long.parseLong(hash.get("processedOn")));
        if ("node-w".equals(hash.get("pb"))) {
          byNode++;
        } else if ("java-w".equals(hash.get("pb"))) {
          byJava++;
        }
      }
      assertEquals(jobs, byNode + byJava);
      assertTrue(byNode > 0 && byJava > 0, "both workers took jobs: node " + byNode + ", java " + byJava);
      io.bullpen.redis.GlobalLimitsTestAccess.assertAtMostPerWindow(starts, max, window,
          "node + java under a global limit of " + max + " per " + window + " ms");
    }
  }

  @Test
  void deduplicationIdsAreSharedBetweenNodeAndJavaProducers(RunningRedis redis) throws Exception {
    NodeBullmq node = node();
    String name = QueueNames.unique("q");
    try (Queue queue = new Queue(name, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      // Node first: the Java add with the same id is absorbed by Node's job.
      List<String> out = node.run("producer.mjs", Map.of("REDIS_URL", redis.uri(), "QUEUE", name, "JOBS",
          "[{\"name\":\"n\",\"data\":{\"from\":\"node\"},\"opts\":{\"deduplication\":{\"id\":\"from-node\"}}}]"),
          Duration.ofSeconds(30));
      String nodeId = JSON.readTree(out.get(0)).get("id").asText();
      Job javaAdd = queue.add("j", Map.of("from", "java"),
          JobOptions.builder().deduplication(Deduplication.of("from-node")).build());
      assertEquals(nodeId, javaAdd.id());
      assertEquals("{\"from\":\"node\"}", javaAdd.dataJson());
      assertEquals(java.util.Optional.of(nodeId), queue.limits().getDeduplicationJobId("from-node"));

      // Java first, with a ttl: Node's add with the same id returns the Java job.
      Job javaOwner = queue.add("j", Map.of("from", "java"),
          JobOptions.builder().deduplication(Deduplication.of("from-java").withTtl(30_000)).build());
      out = node.run("producer.mjs", Map.of("REDIS_URL", redis.uri(), "QUEUE", name, "JOBS",
          "[{\"name\":\"n\",\"data\":{},\"opts\":{\"deduplication\":{\"id\":\"from-java\",\"ttl\":30000}}}]"),
          Duration.ofSeconds(30));
      assertEquals(javaOwner.id(), JSON.readTree(out.get(0)).get("id").asText());
      assertEquals(2, queue.getJobCounts(io.bullpen.JobState.WAITING).get(io.bullpen.JobState.WAITING));

      // Once freed from Java, Node can own the id again.
      queue.limits().removeDeduplicationKey("from-java");
      out = node.run("producer.mjs", Map.of("REDIS_URL", redis.uri(), "QUEUE", name, "JOBS",
          "[{\"name\":\"n\",\"data\":{},\"opts\":{\"deduplication\":{\"id\":\"from-java\"}}}]"),
          Duration.ofSeconds(30));
      assertNotEquals(javaOwner.id(), JSON.readTree(out.get(0)).get("id").asText());
    }
  }
}
