package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.Backoff;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.testkit.NodeBullmq;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real BullMQ 6.7.0 worker (Node) takes the jobs Bullpen's Queue writes, in BullMQ's order. */
@RedisTest
class QueueNodeInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static void assumeNode(NodeBullmq node) {
    if (System.getenv("BULLPEN_REQUIRE_NODE") != null) {
      assertTrue(node.isAvailable(), "BULLPEN_REQUIRE_NODE is set but node/BullMQ is not available");
    }
    assumeTrue(node.isAvailable(), "node with BullMQ is not available");
  }

  record Payload(String to, int n) {}

  @Test
  void bullmqWorkerProcessesJavaJobsInBullmqOrderWithTheirDataAndOptions(RunningRedis redis) throws Exception {
    NodeBullmq node = new NodeBullmq();
    assumeNode(node);
    String name = RedisProbe.uniqueQueueName();
    try (Queue queue = new Queue(name, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      queue.pause(); // nothing runs until every job is in place
      queue.add("std-1", new Payload("a", 1),
          JobOptions.builder().attempts(3).backoff(Backoff.exponential(1000)).build());
      queue.add("std-2", new Payload("b", 2));
      queue.add("p2", new Payload("c", 3), JobOptions.builder().priority(2).build());
      queue.addBulk(List.of(
          JobSpec.of("p1", new Payload("d", 4), JobOptions.builder().priority(1).build()),
          JobSpec.of("lifo", new Payload("e", 5), JobOptions.builder().lifo(true).build()),
          JobSpec.of("custom", new Payload("f", 6), JobOptions.builder().jobId("my-id").build())));
      queue.add("later", new Payload("g", 7), JobOptions.builder().delay(300).build());
      queue.resume();

      List<String> out = node.run("consume-java-jobs.mjs",
          Map.of("REDIS_URL", redis.uri(), "QUEUE", name, "COUNT", "7"), Duration.ofSeconds(60));

      JsonNode head = JSON.readTree(out.get(0));
      assertEquals(4, head.get("counts").get("wait").asInt(), out.get(0));
      assertEquals(2, head.get("counts").get("prioritized").asInt(), out.get(0));
      assertEquals(1, head.get("counts").get("delayed").asInt(), out.get(0));
      List<JsonNode> processed = new ArrayList<>();
      for (String line : out.subList(1, out.size())) {
        processed.add(JSON.readTree(line));
      }
      List<String> names = processed.stream().map(j -> j.get("name").asText()).toList();
      // The delayed job may be promoted at any point after its due time; the rest follow BullMQ's order.
      List<String> ready = names.stream().filter(n -> !n.equals("later")).toList();
      assertEquals(List.of("lifo", "std-1", "std-2", "custom", "p1", "p2"), ready);
      assertTrue(names.contains("later"));

      JsonNode std1 = processed.get(names.indexOf("std-1"));
      assertEquals(JSON.readTree("{\"to\":\"a\",\"n\":1}"), std1.get("data"));
      assertEquals(3, std1.get("opts").get("attempts").asInt());
      assertEquals(JSON.readTree("{\"type\":\"exponential\",\"delay\":1000}"), std1.get("opts").get("backoff"));
      assertEquals("my-id", processed.get(names.indexOf("custom")).get("id").asText());
      assertEquals(1, processed.get(names.indexOf("p1")).get("priority").asInt());
      // Promotion resets the hash field `delay` to 0; the option keeps the requested delay.
      assertEquals(300, processed.get(names.indexOf("later")).get("opts").get("delay").asInt());

      // And back: Java reads what the Node worker wrote.
      assertEquals(7L, queue.getJobCounts(JobState.COMPLETED).get(JobState.COMPLETED));
      Job done = queue.getJob("my-id").orElseThrow();
      assertEquals(JSON.readTree("{\"processedBy\":\"node\",\"name\":\"custom\"}"),
          JSON.readTree(done.returnValueJson().orElseThrow()));
      assertEquals(JobState.COMPLETED, done.state());
      assertEquals(1, done.attemptsMade());
    }
  }
}
