package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Queues as a whole: discovery, counts, pause/resume, clean, drain, metrics, and job schedulers. */
@RedisTest
class QueueRoutesTest {
  private TestServer t;

  @BeforeEach
  void start(RunningRedis redis) {
    t = new TestServer(redis);
  }

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void listsQueuesFoundInRedisWithTheirCounts() {
    Queue a = t.queue("alpha");
    Queue b = t.queue("beta");
    a.add("x", Map.of());
    a.add("y", Map.of(), JobOptions.builder().delay(Duration.ofHours(1)).build());
    b.add("z", Map.of(), JobOptions.builder().priority(3).build());
    JsonNode queues = t.http.get("/api/v1/queues").json().path("queues");
    assertEquals(2, queues.size(), queues.toString());
    assertEquals("alpha", queues.get(0).path("name").asText());
    assertEquals(1, queues.get(0).path("counts").path("waiting").asInt());
    assertEquals(1, queues.get(0).path("counts").path("delayed").asInt());
    assertEquals(1, queues.get(1).path("counts").path("prioritized").asInt());
    assertFalse(queues.get(0).path("paused").asBoolean());
  }

  @Test
  void pausesResumesCleansAndDrains() {
    Queue q = t.queue("ops");
    for (int i = 0; i < 3; i++) {
      q.add("w" + i, Map.of());
    }
    q.add("later", Map.of(), JobOptions.builder().delay(Duration.ofHours(1)).build());
    assertTrue(t.http.post("/api/v1/queues/ops/pause", "").json().path("paused").asBoolean());
    assertTrue(q.isPaused());
    assertTrue(t.http.get("/api/v1/queues/ops").json().path("paused").asBoolean(), "the read after the write sees it");
    assertFalse(t.http.post("/api/v1/queues/ops/resume", "").json().path("paused").asBoolean());

    String done = q.add("done", Map.of(), JobOptions.builder().priority(1).build()).id();
    q.leases().claim("w", Duration.ofSeconds(30), 10);
    q.leases().ack("w", List.of(done));
    Http.Response cleaned = t.http.post("/api/v1/queues/ops/clean", Map.of("state", "completed"));
    assertEquals(200, cleaned.status(), cleaned.toString());
    assertEquals(List.of(done), List.of(cleaned.json().path("removed").get(0).asText()));

    for (int i = 0; i < 3; i++) {
      q.add("again" + i, Map.of());
    }
    JsonNode drained = t.http.post("/api/v1/queues/ops/drain", Map.of("delayed", true)).json();
    assertEquals(0, drained.path("counts").path("waiting").asInt(), drained.toString());
    assertEquals(0, drained.path("counts").path("delayed").asInt());
    assertEquals(0L, q.getJobCounts(JobState.DELAYED).get(JobState.DELAYED));
  }

  @Test
  void reportsMetricsOffWhenNoWorkerRecordsThem() {
    t.queue("quiet").add("x", Map.of());
    JsonNode metrics = t.http.get("/api/v1/queues/quiet/metrics").json();
    assertFalse(metrics.path("completed").path("enabled").asBoolean());
    assertEquals(0, metrics.path("completed").path("perMinute").size());
  }

  @Test
  void upsertsListsAndRemovesJobSchedulers() {
    Queue q = t.queue("cron");
    Http.Response upserted = t.http.put("/api/v1/queues/cron/schedulers/nightly", Map.of("pattern", "0 30 2 * * *",
        "tz", "Europe/Berlin", "template", Map.of("name", "report", "data", Map.of("kind", "daily"),
            "options", Map.of("attempts", 2))));
    assertEquals(200, upserted.status(), upserted.toString());
    assertEquals("0 30 2 * * *", upserted.json().path("pattern").asText());
    assertTrue(upserted.json().path("nextJob").path("id").asText().startsWith("repeat:nightly:"));
    t.http.put("/api/v1/queues/cron/schedulers/often", Map.of("every", 60_000));

    JsonNode listed = t.http.get("/api/v1/queues/cron/schedulers").json().path("schedulers");
    assertEquals(2, listed.size(), listed.toString());
    assertEquals(2, q.schedulers().count());
    assertEquals("daily", q.schedulers().get("nightly").orElseThrow().data(Map.class).get("kind"));

    assertEquals(204, t.http.delete("/api/v1/queues/cron/schedulers/nightly").status());
    assertEquals(1, t.http.get("/api/v1/queues/cron/schedulers").json().path("schedulers").size());
  }
}
