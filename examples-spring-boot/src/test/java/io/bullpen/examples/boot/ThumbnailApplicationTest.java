package io.bullpen.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.examples.boot.Http.Reply;
import io.bullpen.examples.boot.Thumbnails.Request;
import io.bullpen.testkit.RedisExtension;
import io.bullpen.testkit.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample, started whole against the test Redis: jobs added over its REST endpoint are rendered. */
@RedisTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ThumbnailApplicationTest {
  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("bullpen.redis.uri", () -> RedisExtension.shared().uri());
    // Keys of their own, so that other tests' jobs on a shared Redis are not counted.
    registry.add("bullpen.prefix", () -> "boot-" + UUID.randomUUID());
  }

  @Test
  void jobsAddedOverRestAreRenderedByTheWorker() throws Exception {
    Http http = new Http(port);
    List<String> ids = new ArrayList<>();
    for (int width = 100; width <= 500; width += 100) {
      Reply added = http.post("/thumbnails", new Request("cat.png", width));
      assertEquals(200, added.status(), added.body().toString());
      ids.add(added.body().get("id").asText());
    }
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      Reply done = Http.until(Duration.ofSeconds(30), "job " + id + " completed", () -> http.get("/thumbnails/" + id),
          reply -> reply.body().path("state").asText().equals("completed"));
      assertEquals("cat-" + (100 * (i + 1)) + ".png", done.body().get("thumbnail").asText());
    }
    assertEquals(404, http.get("/thumbnails/no-such-job").status());
  }

  @Test
  void actuatorPrometheusShowsBullpensMeters() throws Exception {
    Http http = new Http(port);
    String id = http.post("/thumbnails", new Request("bird.png", 32)).body().get("id").asText();
    Http.until(Duration.ofSeconds(30), "job " + id + " completed", () -> http.get("/thumbnails/" + id),
        reply -> reply.body().path("state").asText().equals("completed"));
    String text = Http.until(Duration.ofSeconds(30), "the completion in the scrape",
        () -> http.text("/actuator/prometheus"), scrape -> scrape.contains("bullpen_jobs_completed_total{"));
    for (String meter : List.of("bullpen_jobs_added_total{", "bullpen_jobs_started_total{",
        "bullpen_jobs_processing_seconds", "bullpen_jobs_wait_seconds", "bullpen_worker_active_jobs{",
        "bullpen_queue_jobs{")) {
      assertTrue(text.contains(meter), meter + " in\n" + text);
    }
    assertTrue(text.lines().anyMatch(line -> line.startsWith("bullpen_jobs_completed_total{")
        && line.contains("queue=\"thumbnails\"")), text);
  }

  @Test
  void actuatorHealthReportsRedisQueuesAndWorkers() throws Exception {
    Http http = new Http(port);
    Reply health = http.get("/actuator/health");
    assertEquals(200, health.status(), health.body().toString());
    JsonNode bullpen = health.body().path("components").path("bullpen");
    assertEquals("UP", bullpen.path("status").asText(), health.body().toString());
    JsonNode counts = bullpen.path("details").path("queues").path("thumbnails");
    assertTrue(counts.has("waiting") && counts.has("active") && counts.has("failed"), counts.toString());
    JsonNode worker = bullpen.path("details").path("workers").path(0);
    assertEquals("thumbnails", worker.path("queue").asText(), bullpen.toString());
    assertTrue(worker.path("running").asBoolean(), worker.toString());
    assertEquals(4, worker.path("concurrency").asInt(), worker.toString());
    assertEquals(0, worker.path("stalledJobsRecovered").asInt(), worker.toString());
  }
}
