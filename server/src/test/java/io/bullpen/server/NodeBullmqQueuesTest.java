package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.testkit.NodeBullmq;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API (and so the dashboard, which reads nothing else) on a queue written only by Node BullMQ 6.7.0
 * ({@code interop/node}): its counts, a completed job's progress, logs and result, a failed job's reason, and the
 * cached counts moving when a Node worker changes the queue. Skipped without Node, unless
 * {@code BULLPEN_REQUIRE_NODE=1} (as in CI).
 */
@RedisTest
class NodeBullmqQueuesTest {
  private static final NodeBullmq NODE = new NodeBullmq();

  private TestServer t;

  @BeforeEach
  void start(RunningRedis redis) {
    boolean available = NODE.isAvailable();
    if (!available && "1".equals(System.getenv("BULLPEN_REQUIRE_NODE"))) {
      throw new AssertionError("Node.js with bullmq is not available, and BULLPEN_REQUIRE_NODE=1 forbids skipping");
    }
    assumeTrue(available, "Skipped: Node.js with bullmq (interop/node) is not available");
    t = new TestServer(redis);
  }

  @AfterEach
  void stop() {
    if (t != null) {
      t.close();
    }
  }

  private List<String> node(String script, Map<String, String> env) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("REDIS_URL", t.redis.uri());
    all.put("PREFIX", t.prefix);
    all.put("QUEUE", "node-mail");
    return NODE.run(script, all, Duration.ofSeconds(60));
  }

  @Test
  void countsJobsLogsResultsAndFailuresWrittenByNodeAreServed() throws Exception {
    List<String> added = node("producer.mjs", Map.of("JOBS", """
        [{"name":"welcome","data":{"progress":[50,100],"logs":["rendered","sent"],"result":{"sent":true}}},
         {"name":"broken","data":{"unrecoverable":true}},
         {"name":"later","data":{},"opts":{"delay":3600000}}]"""));
    List<String> ids = new ArrayList<>();
    for (String line : added) {
      JsonNode event = Http.JSON.readTree(line);
      if (event.path("type").asText().equals("added")) {
        ids.add(event.get("id").asText());
      }
    }
    assertEquals(3, ids.size(), added.toString());

    JsonNode before = t.http.get("/api/v1/queues/node-mail").json();
    assertEquals(2, before.at("/counts/waiting").asLong(), before.toString());
    assertEquals(1, before.at("/counts/delayed").asLong(), before.toString());

    node("worker.mjs", Map.of("COUNT", "2"));

    JsonNode after = awaitCounts(c -> c.path("completed").asLong() == 1 && c.path("failed").asLong() == 1);
    assertEquals(0, after.at("/counts/waiting").asLong(), after.toString());
    assertEquals(1, after.at("/counts/delayed").asLong(), after.toString());

    JsonNode listed = t.http.get("/api/v1/queues").json();
    assertTrue(listed.toString().contains("\"node-mail\""), listed.toString());

    JsonNode welcome = t.http.get("/api/v1/queues/node-mail/jobs/" + ids.get(0)).json();
    assertEquals("completed", welcome.path("state").asText(), welcome.toString());
    assertEquals(100, welcome.path("progress").asInt(), welcome.toString());
    assertEquals(List.of("rendered", "sent"), Http.JSON.convertValue(welcome.at("/logs/lines"), List.class));
    assertEquals(true, welcome.at("/returnValue/sent").asBoolean(), welcome.toString());

    JsonNode broken = t.http.get("/api/v1/queues/node-mail/jobs/" + ids.get(1)).json();
    assertEquals("failed", broken.path("state").asText(), broken.toString());
    assertEquals("no retry please", broken.path("failedReason").asText(), broken.toString());

    JsonNode failedPage = t.http.get("/api/v1/queues/node-mail/jobs?state=failed").json();
    assertTrue(failedPage.toString().contains("\"" + ids.get(1) + "\""), failedPage.toString());
  }

  /** The queue's counts once {@code done} holds: the cache must notice Node's writes through the event stream. */
  private JsonNode awaitCounts(java.util.function.Predicate<JsonNode> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = t.http.get("/api/v1/queues/node-mail").json();
      if (done.test(last.path("counts"))) {
        return last;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("counts never settled: " + last);
  }
}
