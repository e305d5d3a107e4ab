package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Backoff;
import io.bullpen.JobOptions;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class WorkerEventsTest {
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void eventsOfAJobAppearInBullMqsOrderWithTheirFields() {
    String id = f.add("evented", Map.of("x", 1)).id();
    f.worker(job -> {
      job.updateProgress(42);
      return Map.of("ok", true);
    }, f.options().name("w-ev"));
    WorkerFixture.await(() -> f.eventNamesOf(null).contains("drained"), "queue drained");
    List<Map<String, String>> events = f.eventsOf(id);
    assertEquals(List.of("added", "waiting", "active", "progress", "completed"), f.eventNamesOf(id));
    assertEquals("waiting", events.get(2).get("prev"));
    assertEquals("42", events.get(3).get("data"));
    assertEquals("{\"ok\":true}", events.get(4).get("returnvalue"));
    assertEquals("active", events.get(4).get("prev"));
    List<String> all = f.eventNamesOf(null);
    assertEquals("drained", all.get(all.size() - 1));
    assertEquals("w-ev", f.hash(id).get("pb"));
  }

  @Test
  void retrySequenceMatchesBullMq() {
    AtomicInteger runs = new AtomicInteger();
    String id = f.add("retried", Map.of(),
        JobOptions.builder().attempts(2).backoff(Backoff.fixed(200)).build()).id();
    f.worker(job -> {
      job.updateProgress(runs.incrementAndGet() * 50);
      if (runs.get() == 1) {
        throw new IllegalStateException("first try fails");
      }
      return "second try";
    });
    WorkerFixture.await(() -> f.eventNamesOf(id).contains("completed"), "job completed");
    assertEquals(List.of("added", "waiting", "active", "progress", "delayed", "waiting", "active", "progress",
        "completed"), f.eventNamesOf(id));
    List<Map<String, String>> events = f.eventsOf(id);
    long due = Long.parseLong(events.get(4).get("delay"));
    assertTrue(due > 1_000_000_000_000L, "delayed carries the absolute due time, was " + due);
    assertEquals("delayed", events.get(5).get("prev"));
  }

  @Test
  void finalFailureEmitsFailedThenRetriesExhaustedThenDrained() {
    String id = f.add("doomed", Map.of(), JobOptions.builder().attempts(1).build()).id();
    f.worker(job -> {
      throw new IllegalStateException("nope");
    });
    WorkerFixture.await(() -> f.eventNamesOf(null).contains("drained"), "queue drained");
    List<Map<String, String>> all = f.eventsOf(null);
    int failed = f.eventNamesOf(null).indexOf("failed");
    assertEquals("nope", all.get(failed).get("failedReason"));
    assertEquals("active", all.get(failed).get("prev"));
    assertEquals("retries-exhausted", all.get(failed + 1).get("event"));
    assertEquals(id, all.get(failed + 1).get("jobId"));
    assertEquals("1", all.get(failed + 1).get("attemptsMade"));
    assertEquals("drained", all.get(failed + 2).get("event"));
  }

  @Test
  void finishingTrimsTheStreamToItsCapOnce() {
    f.redis.hset(f.key("meta"), "opts.maxLenEvents", "10");
    String id = f.add("trimmer", Map.of()).id();
    // Approximate trimming drops whole stream nodes (100 entries by default), so add well over one node.
    for (int i = 0; i < 500; i++) {
      f.redis.xadd(f.key("events"), Map.of("event", "filler"));
    }
    f.worker(job -> null, f.options().stalled(StalledOptions.builder().skipCheck(true).build()));
    WorkerFixture.await(() -> f.eventNamesOf(id).contains("completed"), "job completed");
    long length = f.redis.xlen(f.key("events"));
    assertTrue(length < 250, "stream trimmed near its cap, length " + length);
    assertTrue(f.eventNamesOf(id).contains("completed"), "the finish events survive the trim");
  }
}
