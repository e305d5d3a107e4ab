package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.LeaseFailure;
import io.bullpen.redis.FlowProducer;
import io.bullpen.redis.FlowProducerOptions;
import io.bullpen.redis.Queue;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class JobRoutesTest {
  private TestServer t;
  private Queue mail;

  @BeforeEach
  void start(RunningRedis redis) {
    t = new TestServer(redis, b -> b.queues("mail"));
    mail = t.queue("mail");
  }

  @AfterEach
  void stop() {
    t.close();
  }

  private static final String JOBS = "/api/v1/queues/mail/jobs";

  @Test
  void addsAJobWithOptionsAndReadsItBack() {
    Http.Response added = t.http.post(JOBS, Map.of("name", "welcome", "data", Map.of("to", "ann@example.com"),
        "options", Map.of("attempts", 3, "priority", 5, "backoff", Map.of("type", "exponential", "delay", 1000))));
    assertEquals(201, added.status(), added.toString());
    String id = added.json().path("id").asText();

    Job stored = mail.getJob(id).orElseThrow();
    assertEquals("welcome", stored.name());
    assertEquals(3, stored.options().attempts());
    assertEquals(5, stored.priority());
    assertEquals(JobState.PRIORITIZED, mail.getJobState(id));

    Http.Response got = t.http.get(JOBS + "/" + id);
    assertEquals(200, got.status(), got.toString());
    assertEquals("ann@example.com", got.json().path("data").path("to").asText());
    assertEquals("prioritized", got.json().path("state").asText());
    assertEquals(3, got.json().path("options").path("attempts").asInt());
  }

  @Test
  void aCustomIdMakesTheAddIdempotent() {
    Map<String, Object> body = Map.of("name", "charge", "data", Map.of("order", 7), "options", Map.of("jobId",
        "order-7"));
    Http.Response first = t.http.post(JOBS, body);
    Http.Response again = t.http.post(JOBS, body);
    assertEquals(201, first.status(), first.toString());
    assertEquals(200, again.status(), again.toString());
    assertEquals("order-7", again.json().path("id").asText());
    assertEquals(1L, mail.getJobCounts(JobState.WAITING).get(JobState.WAITING));
  }

  @Test
  void addsABulkInOrder() {
    List<Map<String, Object>> jobs = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      jobs.add(Map.of("name", "n" + i, "data", Map.of("i", i)));
    }
    Http.Response added = t.http.post(JOBS + "/bulk", Map.of("jobs", jobs));
    assertEquals(201, added.status(), added.toString());
    assertEquals(25, added.json().path("jobs").size());
    assertEquals("n0", added.json().path("jobs").get(0).path("name").asText());
    assertEquals(25L, mail.getJobCounts(JobState.WAITING).get(JobState.WAITING));
  }

  @Test
  void listsAStateAPageAtATimeAndSearchesByIdAndDataField() {
    for (int i = 0; i < 30; i++) {
      mail.add("n" + i, Map.of("user", Map.of("id", i % 10), "tag", i == 17 ? "gold" : "plain"));
    }
    Http.Response page = t.http.get(JOBS + "?state=waiting&start=10&size=10");
    assertEquals(200, page.status(), page.toString());
    assertEquals(30, page.json().path("total").asInt());
    assertEquals(10, page.json().path("jobs").size());
    // newest first: positions 10..19 of 30 are jobs 20..11
    assertEquals("n19", page.json().path("jobs").get(0).path("name").asText());

    Http.Response oldest = t.http.get(JOBS + "?state=waiting&size=2&order=asc");
    assertEquals("n0", oldest.json().path("jobs").get(0).path("name").asText());

    Http.Response byId = t.http.get(JOBS + "?id=5");
    assertEquals(1, byId.json().path("jobs").size());
    assertEquals("n4", byId.json().path("jobs").get(0).path("name").asText());
    assertEquals(0, t.http.get(JOBS + "?id=nope").json().path("jobs").size());

    Http.Response gold = t.http.get(JOBS + "?state=waiting&field=tag&value=gold");
    assertEquals(1, gold.json().path("total").asInt(), gold.toString());
    assertEquals("n17", gold.json().path("jobs").get(0).path("name").asText());
    Http.Response users = t.http.get(JOBS + "?state=waiting&field=user.id&value=3");
    assertEquals(3, users.json().path("total").asInt(), users.toString());
    assertFalse(users.json().path("truncated").asBoolean());
  }

  @Test
  void showsProgressLogsResultFailureAndChildren(RunningRedis redis) {
    Job done = mail.add("done", Map.of());
    Job failed = mail.add("failed", Map.of(), JobOptions.builder().attempts(1).build());
    List<Job> claimed = mail.leases().claim("w1", Duration.ofSeconds(30), 2);
    assertEquals(2, claimed.size());
    mail.updateJobProgress(done.id(), 60);
    mail.addJobLog(done.id(), "step one", 0);
    mail.addJobLog(done.id(), "step two", 0);
    mail.leases().ack("w1", Map.of(done.id(), Map.of("sent", true)));
    mail.leases().fail("w1", List.of(LeaseFailure.of(failed.id(), new IllegalStateException("smtp down"))));

    JsonNode d = t.http.get(JOBS + "/" + done.id()).json();
    assertEquals("completed", d.path("state").asText());
    assertEquals(60, d.path("progress").asInt());
    assertEquals(List.of("step one", "step two"), lines(d.path("logs").path("lines")));
    assertTrue(d.path("returnValue").path("sent").asBoolean());

    JsonNode f = t.http.get(JOBS + "/" + failed.id()).json();
    assertEquals("failed", f.path("state").asText());
    assertEquals("smtp down", f.path("failedReason").asText());
    assertTrue(f.path("stacktrace").get(0).asText().contains("IllegalStateException"), f.toString());

    Http.Response logs = t.http.get(JOBS + "/" + done.id() + "/logs?start=1&size=5");
    assertEquals(List.of("step two"), lines(logs.json().path("lines")));
    assertEquals(2, logs.json().path("count").asInt());

    try (FlowProducer flows = new FlowProducer(FlowProducerOptions.builder()
        .redis(RedisConfig.of(redis.uri())).prefix(t.prefix).build())) {
      var tree = flows.add(io.bullpen.FlowNode.builder("parent", "mail").child(
          io.bullpen.FlowNode.builder("child", "mail").build()).build());
      JsonNode parent = t.http.get(JOBS + "/" + tree.job().id()).json();
      assertEquals("waiting-children", parent.path("state").asText());
      String childKey = parent.path("children").path("pending").get(0).asText();
      String childId = childKey.substring(childKey.lastIndexOf(':') + 1);
      JsonNode child = t.http.get(JOBS + "/" + childId).json();
      assertEquals(tree.job().id(), child.path("parent").path("id").asText());
    }
  }

  @Test
  void retriesPromotesReprioritisesCancelsAndRemoves() {
    Job failed = mail.add("f", Map.of());
    mail.leases().claim("w", Duration.ofSeconds(30), 1);
    mail.leases().fail("w", List.of(LeaseFailure.of(failed.id(), "boom")));
    Http.Response retried = t.http.post(JOBS + "/" + failed.id() + "/retry", "");
    assertEquals(200, retried.status(), retried.toString());
    assertEquals("waiting", retried.json().path("state").asText());
    assertEquals(JobState.WAITING, mail.getJobState(failed.id()));

    Job delayed = mail.add("d", Map.of(), JobOptions.builder().delay(Duration.ofHours(1)).build());
    assertEquals("waiting", t.http.post(JOBS + "/" + delayed.id() + "/promote", "").json().path("state").asText());

    Http.Response prioritised = t.http.post(JOBS + "/" + delayed.id() + "/priority", Map.of("priority", 9));
    assertEquals("prioritized", prioritised.json().path("state").asText(), prioritised.toString());
    assertEquals(9, mail.getJob(delayed.id()).orElseThrow().priority());

    Job waiting = mail.add("c", Map.of());
    Http.Response cancelled = t.http.post(JOBS + "/" + waiting.id() + "/cancel", Map.of("reason", "not needed"));
    assertEquals(200, cancelled.status(), cancelled.toString());

    assertEquals(204, t.http.delete(JOBS + "/" + delayed.id()).status());
    assertTrue(mail.getJob(delayed.id()).isEmpty());
  }

  private static List<String> lines(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
