package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.JobOptions;
import io.bullpen.redis.Queue;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every way a request can be wrong gets a 4xx with the JSON error shape, a stable code and the field; never a 500. */
@RedisTest
class ErrorPathsTest {
  private static TestServer t;
  private static Queue mail;
  private static final String JOBS = "/api/v1/queues/mail/jobs";

  @BeforeAll
  static void start(RunningRedis redis) {
    t = new TestServer(redis, b -> b.queues("mail").maxBodyBytes(4096));
    mail = t.queue("mail");
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  private static void refused(Http.Response r, int status, String code, String field) {
    assertEquals(status, r.status(), r.toString());
    assertNotNull(r.json(), "a JSON body: " + r);
    assertEquals(code, r.errorCode(), r.toString());
    assertEquals(field, r.errorField(), r.toString());
    assertTrue(r.json().path("error").path("message").asText().length() > 5, r.toString());
  }

  @Test
  void malformedJsonIs400InvalidJson() {
    refused(t.http.raw("POST", JOBS, "application/json", "{\"name\": "), 400, "invalid_json", null);
    refused(t.http.raw("POST", JOBS, "application/json", "[1,2]"), 400, "invalid_json", null);
  }

  @Test
  void aBodyThatIsNotJsonIs415() {
    refused(t.http.raw("POST", JOBS, "text/plain", "name=x"), 415, "unsupported_media_type", null);
  }

  @Test
  void aBodyOverTheLimitIs413() {
    String big = "{\"name\":\"x\",\"data\":\"" + "a".repeat(5000) + "\"}";
    refused(t.http.raw("POST", JOBS, "application/json", big), 413, "body_too_large", null);
  }

  @Test
  void badFieldsAre400NamingTheField() {
    refused(t.http.post(JOBS, Map.of("data", 1)), 400, "invalid_field", "name");
    refused(t.http.post(JOBS, Map.of("name", 7)), 400, "invalid_field", "name");
    refused(t.http.post(JOBS, Map.of("name", "x", "colour", "red")), 400, "invalid_field", "colour");
    refused(t.http.post(JOBS, Map.of("name", "x", "options", Map.of("priority", -1))), 400, "invalid_field",
        "options.priority");
    refused(t.http.post(JOBS, Map.of("name", "x", "options", Map.of("attempts", "three"))), 400, "invalid_field",
        "options.attempts");
    refused(t.http.post(JOBS, Map.of("name", "x", "options", Map.of("backoff", Map.of("type", "fixed", "delay", -5)))),
        400, "invalid_field", "options.backoff.delay");
    refused(t.http.post(JOBS, Map.of("name", "x", "options", Map.of("jobId", "12"))), 400, "invalid_field",
        "options.jobId");
    refused(t.http.post(JOBS + "/bulk", Map.of("jobs", java.util.List.of(Map.of("name", "ok"), Map.of("name", "x",
        "options", Map.of("delay", -1))))), 400, "invalid_field", "jobs[1].options.delay");
    refused(t.http.post(JOBS + "/bulk", Map.of("jobs", java.util.List.of())), 400, "invalid_field", "jobs");
    refused(t.http.get(JOBS + "?state=sleeping"), 400, "invalid_field", "state");
    refused(t.http.get(JOBS + "?size=0"), 400, "invalid_field", "size");
    refused(t.http.get(JOBS + "?start=abc"), 400, "invalid_field", "start");
    refused(t.http.get(JOBS + "?field=a.b"), 400, "invalid_field", "value");
    refused(t.http.post("/api/v1/queues/mail/clean", Map.of("state", "bogus")), 400, "invalid_field", "state");
    refused(t.http.put("/api/v1/queues/mail/schedulers/s1", Map.of("pattern", "* * *", "every", 1000)), 400,
        "invalid_field", "every");
    refused(t.http.put("/api/v1/queues/mail/schedulers/s1", Map.of("pattern", "not a cron")), 400, "invalid_field",
        "pattern");
    refused(t.http.post("/api/v1/queues/mail/leases/claim", Map.of("owner", "0")), 400, "invalid_field",
        "owner");
    refused(t.http.post("/api/v1/queues/mail/leases/claim", Map.of("owner", "w", "max", 0)), 400, "invalid_field",
        "max");
    refused(t.http.post("/api/v1/queues/mail/leases/ack", Map.of("owner", "w")), 400, "invalid_field", "jobs");
  }

  @Test
  void unknownQueuesJobsSchedulersAndRoutesAre404() {
    refused(t.http.get("/api/v1/queues/nosuch"), 404, "unknown_queue", "queue");
    refused(t.http.post("/api/v1/queues/nosuch/jobs", Map.of("name", "x")), 404, "unknown_queue", "queue");
    refused(t.http.get(JOBS + "/424242"), 404, "job_not_found", "id");
    refused(t.http.post(JOBS + "/424242/retry", ""), 404, "job_not_found", "id");
    refused(t.http.delete(JOBS + "/424242"), 404, "job_not_found", "id");
    refused(t.http.delete("/api/v1/queues/mail/schedulers/none"), 404, "scheduler_not_found", "id");
    refused(t.http.get("/api/v1/nothing-here"), 404, "not_found", null);
  }

  @Test
  void actionsOnAJobInTheWrongStateAre409() {
    String waiting = mail.add("w", Map.of()).id();
    refused(t.http.post(JOBS + "/" + waiting + "/retry", ""), 409, "wrong_state", "id");
    refused(t.http.post(JOBS + "/" + waiting + "/promote", ""), 409, "wrong_state", "id");

    String held = mail.add("h", Map.of(), JobOptions.builder().priority(1).build()).id();
    while (mail.leases().claim("holder", Duration.ofMinutes(1), 10).stream().noneMatch(j -> j.id().equals(held))) {
      // claims every runnable job until the one under test is held
    }
    refused(t.http.delete(JOBS + "/" + held), 409, "job_locked", "id");
    mail.leases().ack("holder", java.util.List.of(held));
    refused(t.http.post(JOBS + "/" + held + "/cancel", Map.of()), 409, "wrong_state", "id");
  }
}
