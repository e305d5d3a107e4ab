package io.bullpen.redis;

import static io.bullpen.redis.EventsTesting.await;
import static io.bullpen.redis.EventsTesting.uniqueQueue;
import static io.bullpen.redis.QueueEventsTest.base64;
import static io.bullpen.redis.QueueEventsTest.clientLine;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.event.QueueEvent;
import io.bullpen.redis.EventsTesting.Collector;
import io.bullpen.redis.EventsTesting.Writer;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import io.bullpen.testkit.StandaloneOnly;
import io.lettuce.core.KillArgs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@RedisTest
class QueueEventsReconnectTest {

  private static List<String> data(List<QueueEvent> events) {
    return events.stream().map(e -> ((QueueEvent.Progress) e).dataJson()).toList();
  }

  @Test
  void killedConnectionReconnectsKeepsItsNameAndResumesAfterTheLastEvent(RunningRedis redis) {
    String queue = uniqueQueue();
    String key = "bull:" + queue + ":events";
    String name = "bull:" + base64(queue) + ":qe";
    Collector all = new Collector();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, EventsTesting.options(redis.uri()))) {
      events.onAny(all);
      w.event(key, "event", "progress", "jobId", "1", "data", "1");
      all.awaitCount(1);
      await(() -> clientLine(w, name, key).contains("cmd=xread"), "reader blocked in XREAD");
      String before = clientLine(w, name, key);
      // Client ids are per server: kill it on the one holding the stream (on a cluster, its slot's master).
      w.direct.nodeFor(key).clientKill(KillArgs.Builder.id(Long.parseLong(field(before, "id"))));
      // Written while the reader is disconnected or reconnecting: must still arrive, once.
      w.event(key, "event", "progress", "jobId", "1", "data", "2");
      w.event(key, "event", "progress", "jobId", "1", "data", "3");
      assertEquals(List.of("1", "2", "3"), data(all.awaitCount(3)));
      await(() -> {
        String line = clientLine(w, name, key);
        return !line.isEmpty() && !field(line, "id").equals(field(before, "id"));
      }, "a new connection with the :qe name");
      w.event(key, "event", "progress", "jobId", "1", "data", "4");
      assertEquals(List.of("1", "2", "3", "4"), data(all.awaitCount(4)));
    }
  }

  @Test
  @StandaloneOnly("stops and restarts a single Redis of its own")
  void readerSurvivesRedisRestartAndResumes() throws Exception {
    try (RunningRedis own = RedisLauncher.startEmbedded()) {
      String queue = uniqueQueue();
      String key = "bull:" + queue + ":events";
      Collector all = new Collector();
      QueueEventsOptions opts = QueueEventsOptions.builder()
          .redis(RedisConfig.builder().uri(own.uri()).commandTimeout(Duration.ofSeconds(1)).build())
          .blockTimeout(Duration.ofSeconds(1)).build();
      try (QueueEvents events = new QueueEvents(queue, opts)) {
        events.onAny(all);
        try (Writer w = new Writer(own)) {
          w.event(key, "event", "progress", "jobId", "1", "data", "before");
          all.awaitCount(1);
        }
        own.stopServer();
        Thread.sleep(1_500); // several failed reads, so the backoff path runs
        own.startServer();
        // The restarted server is empty; new entries get later ids than the last one seen, so they are read.
        try (Writer w = new Writer(own)) {
          w.event(key, "event", "progress", "jobId", "1", "data", "after");
          assertEquals(List.of("before", "after"), data(all.awaitCount(2)));
          String name = "bull:" + base64(queue) + ":qe";
          await(() -> !clientLine(w, name).isEmpty(), "the reconnected reader keeps its client name");
        }
      }
    }
  }

  private static String field(String clientLine, String field) {
    for (String part : clientLine.split(" ")) {
      if (part.startsWith(field + "=")) {
        return part.substring(field.length() + 1);
      }
    }
    return "";
  }
}
