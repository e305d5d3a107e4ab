package io.bullpen.redis;

import static io.bullpen.redis.EventsTesting.await;
import static io.bullpen.redis.EventsTesting.options;
import static io.bullpen.redis.EventsTesting.uniqueQueue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.event.QueueEvent;
import io.bullpen.event.QueueEvent.Active;
import io.bullpen.event.QueueEvent.Added;
import io.bullpen.event.QueueEvent.Cleaned;
import io.bullpen.event.QueueEvent.Completed;
import io.bullpen.event.QueueEvent.Custom;
import io.bullpen.event.QueueEvent.Deduplicated;
import io.bullpen.event.QueueEvent.Delayed;
import io.bullpen.event.QueueEvent.Drained;
import io.bullpen.event.QueueEvent.Duplicated;
import io.bullpen.event.QueueEvent.Failed;
import io.bullpen.event.QueueEvent.Paused;
import io.bullpen.event.QueueEvent.Progress;
import io.bullpen.event.QueueEvent.Removed;
import io.bullpen.event.QueueEvent.Resumed;
import io.bullpen.event.QueueEvent.RetriesExhausted;
import io.bullpen.event.QueueEvent.Stalled;
import io.bullpen.event.QueueEvent.Waiting;
import io.bullpen.event.QueueEvent.WaitingChildren;
import io.bullpen.event.Subscription;
import io.bullpen.redis.EventsTesting.Collector;
import io.bullpen.redis.EventsTesting.Writer;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@RedisTest
class QueueEventsTest {

  @Test
  void bullmqEntriesArriveTypedAndInStreamOrder(RunningRedis redis) {
    String queue = uniqueQueue();
    String key = "bull:" + queue + ":events";
    Collector all = new Collector();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      events.onAny(all);
      // The §5 "observed sequence" of a job failing once with backoff, then the remaining event kinds.
      List<QueueEvent> expected = List.of(
          new Added(w.event(key, "event", "added", "jobId", "1", "name", "mail"), "1", "mail"),
          new Waiting(w.event(key, "event", "waiting", "jobId", "1"), "1", Optional.empty()),
          new Active(w.event(key, "event", "active", "jobId", "1", "prev", "waiting"), "1", "waiting"),
          new Progress(w.event(key, "event", "progress", "jobId", "1", "data", "{\"pct\":10}"), "1", "{\"pct\":10}"),
          new Delayed(w.event(key, "event", "delayed", "jobId", "1", "delay", "1795336241626"), "1", 1795336241626L),
          new Waiting(w.event(key, "event", "waiting", "jobId", "1", "prev", "delayed"), "1", Optional.of("delayed")),
          new Active(w.event(key, "event", "active", "jobId", "1", "prev", "waiting"), "1", "waiting"),
          new Progress(w.event(key, "event", "progress", "jobId", "1", "data", "99"), "1", "99"),
          new Completed(w.event(key, "event", "completed", "jobId", "1", "returnvalue", "{\"sent\":true}", "prev",
              "active"), "1", "{\"sent\":true}", "active"),
          new Drained(w.event(key, "event", "drained")),
          new Failed(w.event(key, "event", "failed", "jobId", "2", "failedReason", "smtp down", "prev", "active"), "2",
              "smtp down", "active"),
          new RetriesExhausted(w.event(key, "event", "retries-exhausted", "jobId", "2", "attemptsMade", "3"), "2", 3),
          new Stalled(w.event(key, "event", "stalled", "jobId", "3"), "3"),
          new Removed(w.event(key, "event", "removed", "jobId", "3", "prev", "wait"), "3", "wait"),
          new Paused(w.event(key, "event", "paused")),
          new Resumed(w.event(key, "event", "resumed")),
          new Duplicated(w.event(key, "event", "duplicated", "jobId", "custom-1"), "custom-1"),
          new Deduplicated(w.event(key, "event", "deduplicated", "jobId", "4", "deduplicationId", "d1",
              "deduplicatedJobId", "5"), "4", "d1", Optional.of("5")),
          new WaitingChildren(w.event(key, "event", "waiting-children", "jobId", "6"), "6", Optional.empty()),
          new WaitingChildren(w.event(key, "event", "waiting-children", "jobId", "6", "prev", "active"), "6",
              Optional.of("active")),
          new Cleaned(w.event(key, "event", "cleaned", "count", "7"), 7),
          new Custom(w.event(key, "event", "example-event", "custom-key", "custom-value", "jobId", "1"),
              "example-event", Map.of("custom-key", "custom-value", "jobId", "1")));
      assertEquals(expected, all.awaitCount(expected.size()));
      assertEquals(expected.get(expected.size() - 1).eventId(), events.lastEventId());
    }
  }

  @Test
  void typeListenersGetOnlyTheirType(RunningRedis redis) {
    String queue = uniqueQueue();
    String key = "bull:" + queue + ":events";
    List<Completed> completed = new CopyOnWriteArrayList<>();
    List<QueueEvent.JobEvent> jobEvents = new CopyOnWriteArrayList<>();
    Collector all = new Collector();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      events.on(Completed.class, completed::add);
      events.on(QueueEvent.JobEvent.class, jobEvents::add);
      events.onAny(all);
      w.event(key, "event", "active", "jobId", "1", "prev", "waiting");
      w.event(key, "event", "completed", "jobId", "1", "returnvalue", "5", "prev", "active");
      w.event(key, "event", "drained");
      all.awaitCount(3);
      assertEquals(1, completed.size());
      assertEquals("5", completed.get(0).returnValueJson());
      assertEquals(List.of("active", "completed"), jobEvents.stream().map(QueueEvent::name).toList());
    }
  }

  @Test
  void jobListenersGetOnlyThatJobsEvents(RunningRedis redis) {
    String queue = uniqueQueue();
    String key = "bull:" + queue + ":events";
    Collector jobTwo = new Collector();
    Collector all = new Collector();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      events.onJob("2", jobTwo);
      events.onAny(all);
      w.event(key, "event", "added", "jobId", "1", "name", "a");
      w.event(key, "event", "added", "jobId", "2", "name", "b");
      w.event(key, "event", "drained");
      w.event(key, "event", "my-event", "jobId", "2");
      w.event(key, "event", "completed", "jobId", "2", "returnvalue", "null", "prev", "active");
      w.event(key, "event", "completed", "jobId", "1", "returnvalue", "null", "prev", "active");
      all.awaitCount(6);
      assertEquals(List.of("added", "my-event", "completed"), jobTwo.events.stream().map(QueueEvent::name).toList());
      assertTrue(jobTwo.events.stream().allMatch(e -> e.jobId().equals(Optional.of("2"))));
    }
  }

  @Test
  void throwingListenerDoesNotStopDelivery(RunningRedis redis) {
    String queue = uniqueQueue();
    String key = "bull:" + queue + ":events";
    AtomicInteger calls = new AtomicInteger();
    Collector after = new Collector();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      events.onAny(e -> {
        calls.incrementAndGet();
        throw new IllegalStateException("listener bug");
      });
      events.onJob("1", e -> {
        throw new AssertionError("also a bug");
      });
      events.onAny(after);
      for (int i = 0; i < 5; i++) {
        w.event(key, "event", "progress", "jobId", "1", "data", String.valueOf(i));
      }
      assertEquals(List.of("0", "1", "2", "3", "4"),
          after.awaitCount(5).stream().map(e -> ((Progress) e).dataJson()).toList());
      assertEquals(5, calls.get());
    }
  }

  @Test
  void closedSubscriptionGetsNoMoreEvents(RunningRedis redis) {
    String queue = uniqueQueue();
    String key = "bull:" + queue + ":events";
    Collector removedLater = new Collector();
    Collector all = new Collector();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      Subscription subscription = events.onJob("1", removedLater);
      events.onAny(all);
      w.event(key, "event", "stalled", "jobId", "1");
      all.awaitCount(1);
      subscription.close();
      subscription.close();
      w.event(key, "event", "stalled", "jobId", "1");
      all.awaitCount(2);
      assertEquals(1, removedLater.events.size());
    }
  }

  @Test
  void defaultStartSkipsHistoryButMissesNothingWrittenAfterConstruction(RunningRedis redis) {
    String queue = uniqueQueue();
    String key = "bull:" + queue + ":events";
    try (Writer w = new Writer(redis)) {
      w.event(key, "event", "added", "jobId", "old", "name", "x");
      try (QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
        // Written before the reader can possibly have issued its first XREAD: must still arrive.
        Collector all = new Collector();
        events.onAny(all);
        String first = w.event(key, "event", "added", "jobId", "new", "name", "x");
        assertEquals(first, all.awaitCount(1).get(0).eventId());
        assertEquals(1, all.events.size());
      }
    }
  }

  @Test
  void startingFromAnIdReplaysTheEntriesAfterIt(RunningRedis redis) {
    String queue = uniqueQueue();
    String key = "bull:" + queue + ":events";
    try (Writer w = new Writer(redis)) {
      String first = w.event(key, "event", "waiting", "jobId", "1");
      String second = w.event(key, "event", "waiting", "jobId", "2");
      Collector fromZero = new Collector();
      Collector fromFirst = new Collector();
      QueueEventsOptions.Builder base = QueueEventsOptions.builder().redis(RedisConfig.of(redis.uri())).autorun(false);
      try (QueueEvents all = new QueueEvents(queue, base.lastEventId("0").build());
          QueueEvents afterFirst = new QueueEvents(queue, base.lastEventId(first).build())) {
        all.onAny(fromZero);
        afterFirst.onAny(fromFirst);
        all.start();
        afterFirst.start();
        assertEquals(List.of(first, second), fromZero.awaitCount(2).stream().map(QueueEvent::eventId).toList());
        assertEquals(List.of(second), fromFirst.awaitCount(1).stream().map(QueueEvent::eventId).toList());
      }
    }
  }

  @Test
  void withoutAutorunNothingIsReadUntilStart(RunningRedis redis) throws InterruptedException {
    String queue = uniqueQueue();
    String key = "bull:" + queue + ":events";
    Collector all = new Collector();
    QueueEventsOptions opts = QueueEventsOptions.builder().redis(RedisConfig.of(redis.uri())).autorun(false).build();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, opts)) {
      events.onAny(all);
      w.event(key, "event", "paused");
      Thread.sleep(300);
      assertEquals(List.of(), all.events);
      events.start();
      w.event(key, "event", "resumed");
      // Started from "$" at start(): the earlier entry stays unread, the later one arrives.
      assertEquals(List.of("resumed"), all.awaitCount(1).stream().map(QueueEvent::name).toList());
      assertThrows(IllegalStateException.class, events::start);
    }
  }

  @Test
  void honoursACustomPrefix(RunningRedis redis) {
    String queue = uniqueQueue();
    Collector all = new Collector();
    QueueEventsOptions opts = QueueEventsOptions.builder().redis(RedisConfig.of(redis.uri())).prefix("custom").build();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, opts)) {
      events.onAny(all);
      w.event("bull:" + queue + ":events", "event", "paused");
      w.event("custom:" + queue + ":events", "event", "resumed");
      assertEquals(List.of("resumed"), all.awaitCount(1).stream().map(QueueEvent::name).toList());
      String clients = w.direct.clientList();
      assertTrue(clients.contains("name=custom:" + base64(queue) + ":qe "), clients);
    }
  }

  @Test
  void manyEventsFromAnotherClientArriveInOrderWithoutGapsOrDuplicates(RunningRedis redis) throws Exception {
    String queue = uniqueQueue();
    String key = "bull:" + queue + ":events";
    int count = 2_000;
    Collector all = new Collector();
    // A short block time makes the reader re-issue XREAD many times while the writer runs.
    QueueEventsOptions opts = QueueEventsOptions.builder().redis(RedisConfig.of(redis.uri()))
        .blockTimeout(java.time.Duration.ofMillis(5)).build();
    try (QueueEvents events = new QueueEvents(queue, opts)) {
      events.onAny(all);
      Thread producer = new Thread(() -> {
        try (Writer w = new Writer(redis)) {
          for (int i = 0; i < count; i++) {
            w.event(key, "event", "progress", "jobId", "j", "data", String.valueOf(i));
          }
        }
      });
      producer.start();
      producer.join();
      List<String> data = all.awaitCount(count).stream().map(e -> ((Progress) e).dataJson()).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        expected.add(String.valueOf(i));
      }
      assertEquals(expected, data);
    }
  }

  @Test
  void readingConnectionCarriesBullmqQueueEventsClientName(RunningRedis redis) {
    String queue = uniqueQueue();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      String expectedName = "bull:" + base64(queue) + ":qe";
      String clients = w.direct.clientList();
      assertTrue(clients.contains("name=" + expectedName + " "), clients);
      // The reader blocks on XREAD on that very connection.
      await(() -> clientLine(w, expectedName, "bull:" + queue + ":events").contains("cmd=xread"),
          "the :qe connection should block in XREAD");
      assertEquals(queue, events.queueName());
    }
  }

  @Test
  void closeReturnsPromptlyWhileBlockedInXread(RunningRedis redis) {
    String queue = uniqueQueue();
    String name = "bull:" + base64(queue) + ":qe";
    try (Writer w = new Writer(redis)) {
      QueueEvents events = new QueueEvents(queue, options(redis.uri())); // default block time: 10 s
      await(() -> clientLine(w, name, "bull:" + queue + ":events").contains("cmd=xread"),
          "reader should be blocked in XREAD");
      long start = System.nanoTime();
      events.close();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 1_500, "close took " + millis + " ms");
      await(() -> Thread.getAllStackTraces().keySet().stream()
          .noneMatch(t -> t.getName().equals("bullpen-events-" + queue)), "reader thread should end");
      await(() -> clientLine(w, name).isEmpty(), "the :qe connection should be gone");
      events.close(); // idempotent
    }
  }

  @Test
  void rejectsInvalidArguments(RunningRedis redis) {
    assertThrows(io.bullpen.InvalidOptionException.class, () -> new QueueEvents("a:b", options(redis.uri())));
    assertThrows(io.bullpen.InvalidOptionException.class, () -> new QueueEvents("", options(redis.uri())));
    try (QueueEvents events = new QueueEvents(uniqueQueue(), options(redis.uri()))) {
      assertThrows(io.bullpen.InvalidOptionException.class, () -> events.onJob("", e -> { }));
      assertThrows(NullPointerException.class, () -> events.onAny(null));
    }
  }

  @Test
  void unreachableRedisIsReportedAtConstruction() {
    QueueEventsOptions opts = QueueEventsOptions.builder()
        .redis(RedisConfig.builder().uri("redis://127.0.0.1:1").connectTimeout(java.time.Duration.ofSeconds(1)).build())
        .build();
    assertThrows(io.bullpen.QueueConnectionException.class, () -> new QueueEvents(uniqueQueue(), opts));
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The CLIENT LIST line of a connection named {@code name} on any server, or "" if there is none. */
  static String clientLine(Writer w, String name) {
    return firstNamed(w.direct.clientList(), name);
  }

  /**
   * The CLIENT LIST line of the connection named {@code name} on the server holding {@code key}, the one in XREAD if
   * there are several, or "". On a cluster a client names its connections to every node, and may hold a second one
   * to the key's master (topology checks); the blocking read is on the key's master.
   */
  static String clientLine(Writer w, String name, String key) {
    List<String> named = w.direct.nodeFor(key).clientList().lines().filter(l -> l.contains(" name=" + name + " "))
        .toList();
    return named.stream().filter(l -> l.contains(" cmd=xread ")).findFirst()
        .orElse(named.isEmpty() ? "" : named.get(0));
  }

  private static String firstNamed(String clientList, String name) {
    return clientList.lines().filter(l -> l.contains(" name=" + name + " ")).findFirst().orElse("");
  }
}
