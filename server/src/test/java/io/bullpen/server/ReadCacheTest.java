package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.redis.Queue;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The cached read side: a read after a write through the server sees the write at once, a write by another process
 * is seen once the queue's event stream is looked at again, and a dashboard-like read mix under concurrent writes
 * is served from the cache more than 80 % of the time.
 */
@RedisTest
class ReadCacheTest {
  private static long waiting(Http http, String queue) {
    return http.get("/api/v1/queues/" + queue).json().path("counts").path("waiting").asLong();
  }

  @Test
  void aReadAfterAWriteThroughTheServerSeesTheWrite(RunningRedis redis) {
    // A long poll interval: only the server's own bump can make the second read fresh.
    try (TestServer t = new TestServer(redis, b -> b.queues("q").versionPollInterval(Duration.ofMinutes(1)))) {
      assertEquals(0, waiting(t.http, "q"));
      assertEquals(0, waiting(t.http, "q"));
      long hitsBefore = t.server.cacheStats().hits();
      assertTrue(hitsBefore >= 1, "the repeated read was cached: " + t.server.cacheStats());
      t.http.post("/api/v1/queues/q/jobs", Map.of("name", "x"));
      assertEquals(1, waiting(t.http, "q"));
    }
  }

  @Test
  void aWriteByAnotherProcessIsSeenWhenTheVersionIsPolled(RunningRedis redis) {
    try (TestServer t = new TestServer(redis, b -> b.queues("q").versionPollInterval(Duration.ofMillis(200)))) {
      Queue direct = t.queue("q");
      assertEquals(0, waiting(t.http, "q"));
      direct.add("from elsewhere", Map.of());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (waiting(t.http, "q") != 1) {
        assertTrue(System.nanoTime() < deadline, "the other writer's job never showed");
      }
    }
  }

  @Test
  void aDashboardLikeMixUnderConcurrentWritesHitsTheCacheOverEightyPercent(RunningRedis redis) throws Exception {
    try (TestServer t = new TestServer(redis, b -> b.queues("a", "b", "c"))) {
      for (String q : List.of("a", "b", "c")) {
        for (int i = 0; i < 50; i++) {
          t.queue(q).add("seed", Map.of("i", i));
        }
      }
      String firstJob = t.http.get("/api/v1/queues/a/jobs?size=1").json().path("jobs").get(0).path("id").asText();
      int readers = 4;
      int readsPerReader = 400;
      int readsPerWrite = 40; // a dashboard polls its widgets many times between two changes of a queue
      AtomicLong reads = new AtomicLong();
      AtomicLong writes = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
      List<Future<?>> tasks = new ArrayList<>();
      CacheStats before = t.server.cacheStats();
      for (int r = 0; r < readers; r++) {
        int seed = r;
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < readsPerReader; i++) {
            String q = List.of("a", "b", "c").get((i + seed) % 3);
            switch (i % 5) {
              case 0 -> t.http.get("/api/v1/queues");
              case 1 -> t.http.get("/api/v1/queues/" + q);
              case 2 -> t.http.get("/api/v1/queues/" + q + "/jobs?state=waiting&size=20");
              case 3 -> t.http.get("/api/v1/queues/" + q + "/jobs?state=failed&size=20");
              default -> t.http.get("/api/v1/queues/a/jobs/" + firstJob);
            }
            reads.incrementAndGet();
          }
        }));
      }
      tasks.add(pool.submit(() -> {
        long total = (long) readers * readsPerReader;
        while (reads.get() < total) {
          if (reads.get() >= (writes.get() + 1) * readsPerWrite) {
            String q = List.of("a", "b", "c").get((int) (writes.get() % 3));
            if (writes.get() % 2 == 0) {
              t.http.post("/api/v1/queues/" + q + "/jobs", Map.of("name", "w")); // through the server
            } else {
              t.queue(q).add("w", Map.of()); // another process (seen through the event stream)
            }
            writes.incrementAndGet();
          } else {
            Thread.onSpinWait();
          }
        }
      }));
      for (Future<?> task : tasks) {
        task.get(3, TimeUnit.MINUTES);
      }
      pool.shutdown();
      CacheStats after = t.server.cacheStats();
      long hits = after.hits() - before.hits();
      long misses = after.misses() - before.misses();
      double hitRate = (double) hits / (hits + misses);
      JsonNode served = t.http.get("/api/v1/cache").json();
      System.out.printf("read cache: %d reads, %d writes, %d hits, %d misses, hit rate %.3f, %d version polls; "
          + "/api/v1/cache says %s%n", reads.get(), writes.get(), hits, misses, hitRate, after.versionPolls(), served);
      assertTrue(writes.get() >= 30, "writes ran alongside the reads: " + writes.get());
      assertTrue(hitRate > 0.80, "hit rate " + hitRate + " (" + hits + " hits, " + misses + " misses)");
    }
  }
}
