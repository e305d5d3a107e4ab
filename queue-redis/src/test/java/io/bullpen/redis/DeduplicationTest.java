package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Deduplication;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every BullMQ 6 deduplication mode: simple, throttle (ttl), extend, replace (debounce), keepLastIfActive. */
@RedisTest
class DeduplicationTest {
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static JobOptions dedup(Deduplication d) {
    return JobOptions.builder().deduplication(d).build();
  }

  private Map<String, String> lastEvent(String name) {
    List<Map<String, String>> events = f.eventsOf(null);
    for (int i = events.size() - 1; i >= 0; i--) {
      if (name.equals(events.get(i).get("event"))) {
        return events.get(i);
      }
    }
    return null;
  }

  @Test
  void simpleDeduplicationReturnsTheOwnerUntilItFinishes() {
    Job first = f.add("a", Map.of("n", 1), dedup(Deduplication.of("d1")));
    Job second = f.add("a", Map.of("n", 2), dedup(Deduplication.of("d1")));
    assertEquals(first.id(), second.id());
    assertEquals("{\"n\":1}", second.dataJson(), "the owner is returned, not the absorbed job");
    assertEquals(1, f.redis.llen(f.key("wait")));
    assertEquals(first.id(), f.redis.get(f.key("de:d1")));
    assertEquals("d1", f.hash(first.id()).get("deid"));
    assertEquals(-1, f.redis.pttl(f.key("de:d1")), "no ttl");
    Map<String, String> event = lastEvent("deduplicated");
    assertEquals(first.id(), event.get("jobId"));
    assertEquals("d1", event.get("deduplicationId"));
    assertEquals(Long.toString(Long.parseLong(first.id()) + 1), event.get("deduplicatedJobId"),
        "the absorbed add still used a counter value");
    assertEquals(Optional.of(first.id()), f.queue.limits().getDeduplicationJobId("d1"));

    f.worker(job -> null);
    WorkerFixture.await(() -> f.queue.getJobState(first.id()) == JobState.COMPLETED, "owner completed");
    assertNull(f.redis.get(f.key("de:d1")), "the key goes with its finished owner");
    Job third = f.add("a", Map.of("n", 3), dedup(Deduplication.of("d1")));
    assertNotEquals(first.id(), third.id());
  }

  @Test
  void removingTheKeyOrTheOwnerFreesTheId() {
    Job first = f.add("a", Map.of(), dedup(Deduplication.of("d2")));
    assertTrue(f.queue.limits().removeDeduplicationKey("d2"));
    assertFalse(f.queue.limits().removeDeduplicationKey("d2"));
    Job second = f.add("a", Map.of(), dedup(Deduplication.of("d2")));
    assertNotEquals(first.id(), second.id());
    assertTrue(f.queue.remove(second.id()));
    assertEquals(Optional.empty(), f.queue.limits().getDeduplicationJobId("d2"));
  }

  @Test
  void throttleModeOwnsTheIdForTheTtlOnly() throws Exception {
    Job first = f.add("a", Map.of(), dedup(Deduplication.of("t").withTtl(300)));
    long ttl = f.redis.pttl(f.key("de:t"));
    assertTrue(ttl > 0 && ttl <= 300, "ttl " + ttl);
    assertEquals(first.id(), f.add("a", Map.of(), dedup(Deduplication.of("t").withTtl(300))).id());
    WorkerFixture.await(() -> f.redis.exists(f.key("de:t")) == 0, "ttl ran out");
    assertNotEquals(first.id(), f.add("a", Map.of(), dedup(Deduplication.of("t").withTtl(300))).id());
    assertEquals(2, f.redis.llen(f.key("wait")), "the owner is still waiting; the throttle only limits adds");
  }

  @Test
  void extendModeRestartsTheTtlOnEveryAbsorbedAdd() throws Exception {
    Deduplication d = Deduplication.of("e").withTtl(400).withExtend();
    Job first = f.add("a", Map.of(), dedup(d));
    for (int i = 0; i < 4; i++) {
      Thread.sleep(200);
      assertEquals(first.id(), f.add("a", Map.of(), dedup(d)).id(), "still owned after " + (i + 1) * 200 + " ms");
      assertTrue(f.redis.pttl(f.key("de:e")) > 300, "ttl restarted");
    }
  }

  @Test
  void replaceModeSwapsAStillDelayedOwnerForTheNewJob() {
    Deduplication d = Deduplication.of("r").withTtl(5_000).withReplace().withExtend();
    Job first = f.add("debounced", Map.of("v", 1), JobOptions.builder().delay(5_000).deduplication(d).build());
    Job second = f.add("debounced", Map.of("v", 2), JobOptions.builder().delay(5_000).deduplication(d).build());
    assertNotEquals(first.id(), second.id());
    assertTrue(f.hash(first.id()).isEmpty(), "the replaced job is deleted");
    assertEquals(List.of(second.id()), f.redis.zrange(f.key("delayed"), 0, -1));
    assertEquals(second.id(), f.redis.get(f.key("de:r")));
    Map<String, String> event = lastEvent("deduplicated");
    assertEquals(second.id(), event.get("jobId"), "the survivor");
    assertEquals(first.id(), event.get("deduplicatedJobId"), "the replaced one");
    assertEquals("delayed", lastEvent("removed").get("prev"));

    f.queue.promote(second.id());
    Job third = f.add("debounced", Map.of("v", 3), JobOptions.builder().delay(5_000).deduplication(d).build());
    assertEquals(second.id(), third.id(), "an owner no longer delayed is not replaced");
  }

  @Test
  void keepLastIfActiveCreatesTheLastAbsorbedJobWhenTheOwnerFinishes() throws Exception {
    Deduplication d = Deduplication.of("k").withKeepLastIfActive();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Job owner = f.add("sync", Map.of("v", 1), dedup(d));
    f.worker(job -> {
      if (job.id().equals(owner.id())) {
        started.countDown();
        release.await(10, TimeUnit.SECONDS);
      }
      return job.data(Map.class).get("v");
    });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    assertEquals(owner.id(), f.add("sync", Map.of("v", 2), dedup(d)).id());
    assertEquals(owner.id(), f.add("sync", Map.of("v", 3), dedup(d)).id());
    String keptId = f.redis.hget(f.key("dn:k"), "jid");
    assertEquals(Long.toString(Long.parseLong(owner.id()) + 2), keptId, "the last add wins");
    assertEquals(0, f.redis.llen(f.key("wait")));

    release.countDown();
    WorkerFixture.await(() -> f.queue.getJobState(keptId) == JobState.COMPLETED, "kept job created and run");
    assertEquals("3", f.hash(keptId).get("returnvalue"));
    assertEquals("{\"v\":3}", f.hash(keptId).get("data"));
    assertEquals(0, f.redis.exists(f.key("dn:k")));
    List<String> order = f.eventNamesOf(null).stream().filter(n -> !n.equals("drained")).toList();
    int added = order.lastIndexOf("added");
    int ownerCompleted = order.indexOf("completed");
    assertTrue(added < ownerCompleted, "the kept job is added before the owner's completed event: " + order);
    WorkerFixture.await(() -> f.redis.exists(f.key("de:k")) == 0, "key released by the kept job's finish");
  }
}
