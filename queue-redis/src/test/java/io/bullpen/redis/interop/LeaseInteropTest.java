package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.KeepJobs;
import io.bullpen.JobSpec;
import io.bullpen.LeaseFailure;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The same jobs go through a real BullMQ worker on one queue and through Bullpen's lease API (claim, fail, ack)
 * on another; BullMQ's Queue getters and QueueEvents must see the two queues alike.
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseInteropTest {
  private static final String PREFIX = "bplease";
  private final String nodeQueue = QueueNames.unique("node-processed");
  private final String leaseQueue = QueueNames.unique("lease-processed");
  private List<String> ids;
  private JsonNode byNode;
  private JsonNode byLease;

  /** The jobs, in the data language of worker.mjs: failAttempts makes the first n attempts throw. */
  private static List<JobSpec> jobs() {
    return List.of(
        JobSpec.of("plain", Map.of("k", 1), null),
        JobSpec.of("urgent", Map.of("k", 2), JobOptions.builder().priority(2).build()),
        JobSpec.of("flaky", Map.of("failAttempts", 1), JobOptions.builder().attempts(2).build()),
        JobSpec.of("doomed", Map.of("failAttempts", 5), JobOptions.builder().attempts(1).build()),
        JobSpec.of("gone", Map.of("k", 5), JobOptions.builder().removeOnComplete(KeepJobs.none()).build()),
        JobSpec.of("result", Map.of("result", Map.of("ok", true)), null));
  }

  @BeforeAll
  void processBothWays(RunningRedis redis) throws Exception {
    NodeSide.assumeAvailable();
    NodeSide node = new NodeSide(redis, PREFIX);
    QueueOptions options = QueueOptions.builder().redis(RedisConfig.of(redis.uri())).prefix(PREFIX).build();
    try (Queue viaNode = new Queue(nodeQueue, options); Queue viaLease = new Queue(leaseQueue, options)) {
      ids = viaNode.addBulk(jobs()).stream().map(Job::id).toList();
      viaLease.addBulk(jobs());
      node.work(nodeQueue, ids.size());
      processWithLeases(viaLease);
    }
    byNode = node.describe(nodeQueue, ids).single("queue");
    byLease = node.describe(leaseQueue, ids).single("queue");
  }

  /** Does with the lease API what worker.mjs does with each job, one claimed batch at a time. */
  private static void processWithLeases(Queue queue) {
    int settled = 0;
    while (settled < jobs().size()) {
      List<Job> claimed = queue.leases().claim("relay-" + UUID.randomUUID(), Duration.ofSeconds(30), 3);
      assertTrue(!claimed.isEmpty(), "jobs remain to claim");
      String owner = claimed.get(0).lockToken().orElseThrow();
      Map<String, Object> results = new LinkedHashMap<>();
      List<LeaseFailure> failures = new ArrayList<>();
      for (Job job : claimed) {
        JsonNode data = Json.tree(job.dataJson(), "data");
        int attempt = job.attemptsStarted();
        if (attempt <= data.path("failAttempts").asInt(0)) {
          failures.add(LeaseFailure.of(job.id(), "boom on attempt " + attempt));
          if (attempt >= job.options().attempts()) {
            settled++;
          }
        } else {
          ObjectNode standard = Json.MAPPER.createObjectNode().put("name", job.name()).put("attempt", attempt);
          results.put(job.id(), data.has("result") ? data.get("result") : standard);
          settled++;
        }
      }
      assertTrue(queue.leases().ack(owner, results).allDone());
      assertTrue(queue.leases().fail(owner, failures).allDone());
    }
  }

  @Test
  void countsAreTheSame() {
    assertEquals(byNode.get("counts"), byLease.get("counts"));
  }

  @Test
  void everyJobReadsTheSameThroughBullmqsGetters() {
    for (int i = 0; i < ids.size(); i++) {
      JsonNode a = byNode.get("jobs").get(i);
      JsonNode b = byLease.get("jobs").get(i);
      assertEquals(a, b, "job " + ids.get(i) + " (" + jobs().get(i).name() + ")");
    }
  }

  @Test
  void everyJobHasTheSameEventSequenceInQueueEvents() {
    for (String id : ids) {
      assertEquals(eventsOf(byNode, id), eventsOf(byLease, id), "events of job " + id);
    }
    JsonNode doomed = byLease.get("events").get(ids.get(3));
    assertEquals("retries-exhausted", doomed.get(doomed.size() - 1).get("event").asText());
  }

  @Test
  void theQueueEndsDrainedBothWays() {
    JsonNode node = byNode.get("queueEvents");
    JsonNode lease = byLease.get("queueEvents");
    assertEquals("drained", node.get(node.size() - 1).asText());
    assertEquals("drained", lease.get(lease.size() - 1).asText());
  }

  /** A job's events with what QueueEvents hands out; stream ids and times differ between runs and are left out. */
  private static List<String> eventsOf(JsonNode view, String id) {
    List<String> out = new ArrayList<>();
    for (JsonNode event : view.get("events").path(id)) {
      ObjectNode copy = event.deepCopy();
      copy.remove("delay");
      Iterator<String> names = copy.fieldNames();
      List<String> keys = new ArrayList<>();
      names.forEachRemaining(keys::add);
      out.add(keys.stream().sorted().map(k -> k + "=" + copy.get(k)).toList().toString());
    }
    return out;
  }
}
