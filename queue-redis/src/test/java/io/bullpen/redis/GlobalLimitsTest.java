package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.Limiter;
import io.bullpen.RateLimitError;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue-wide limits of BullMQ 6 (meta max/duration/concurrency, limiter) set through Queue's API. */
@RedisTest
class GlobalLimitsTest {
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  /**
   * With a backlog, the jobs of one fixed window all start right when it opens; so no interval shorter than the
   * window (less a margin for clock skew between "now" and the script's run) holds more than {@code max} starts.
   */
  static void assertAtMostPerWindow(List<Long> starts, int max, long windowMillis, String what) {
    List<Long> sorted = new ArrayList<>(starts);
    sorted.sort(null);
    long span = windowMillis - windowMillis / 5;
    for (int i = 0; i < sorted.size(); i++) {
      int inWindow = 0;
      for (int j = i; j < sorted.size() && sorted.get(j) < sorted.get(i) + span; j++) {
        inWindow++;
      }
      assertTrue(inWindow <= max, what + ": " + inWindow + " starts within " + span + " ms from " + sorted.get(i)
          + " (limit " + max + "): " + sorted);
    }
    long windows = (sorted.size() + max - 1) / max;
    long elapsed = sorted.get(sorted.size() - 1) - sorted.get(0);
    assertTrue(elapsed >= (windows - 1) * windowMillis - 50,
        what + ": " + sorted.size() + " starts need " + windows + " windows, took only " + elapsed + " ms");
  }

  @Test
  void globalRateLimitHoldsAcrossThreeWorkersOverSeveralWindows() {
    f.queue.limits().setGlobalRateLimit(4, 300);
    assertEquals(Optional.of(new Limiter(4, 300)), f.queue.limits().getGlobalRateLimit());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(f.add("job", Map.of()).id());
    }
    for (int w = 0; w < 3; w++) {
      f.worker(job -> null, f.options().concurrency(4).drainDelay(Duration.ofMillis(200)));
    }
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 20, "20 jobs completed");
    List<Long> starts = new ArrayList<>();
    for (String id : ids) {
      starts.add(Long.parseLong(f.hash(id).get("processedOn")));
    }
    assertAtMostPerWindow(starts, 4, 300, "global limit 4 per 300 ms");

    f.queue.limits().removeGlobalRateLimit();
    assertEquals(Optional.empty(), f.queue.limits().getGlobalRateLimit());
    assertTrue(f.redis.hmget(f.key("meta"), "max", "duration").stream().noneMatch(kv -> kv.hasValue()));
  }

  @Test
  void globalConcurrencyIsStoredInMetaAndBindsEveryWorker() {
    f.queue.limits().setGlobalConcurrency(2);
    assertEquals("2", f.redis.hget(f.key("meta"), "concurrency"));
    assertEquals(OptionalInt.of(2), f.queue.limits().getGlobalConcurrency());
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    for (int w = 0; w < 3; w++) {
      f.worker(job -> {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        Thread.sleep(40);
        running.decrementAndGet();
        return null;
      }, f.options().concurrency(3).drainDelay(Duration.ofMillis(100)));
    }
    for (int i = 0; i < 12; i++) {
      f.add("job", Map.of());
    }
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 12, "12 jobs completed");
    assertTrue(most.get() <= 2, "at most 2 at once, saw " + most.get());
    f.queue.limits().removeGlobalConcurrency();
    assertEquals(OptionalInt.empty(), f.queue.limits().getGlobalConcurrency());
    assertThrows(InvalidOptionException.class, () -> f.queue.limits().setGlobalConcurrency(0));
    assertThrows(InvalidOptionException.class, () -> f.queue.limits().setGlobalRateLimit(0, 100));
  }

  @Test
  void manualRateLimitFromTheQueueHoldsWorkersThatHaveALimiter() {
    f.queue.limits().setGlobalRateLimit(100, 1000);
    assertEquals(0, f.queue.limits().getRateLimitTtl());
    f.queue.limits().rateLimit(700);
    long ttl = f.queue.limits().getRateLimitTtl();
    assertTrue(ttl > 0 && ttl <= 700, "ttl " + ttl);
    long before = System.currentTimeMillis();
    Job job = f.add("held", Map.of());
    f.worker(j -> null, f.options().drainDelay(Duration.ofMillis(100)));
    WorkerFixture.await(() -> f.redis.zscore(f.key("completed"), job.id()) != null, "job completed");
    long started = Long.parseLong(f.hash(job.id()).get("processedOn"));
    assertTrue(started - before >= 550, "started " + (started - before) + " ms after the manual limit");
  }

  @Test
  void rateLimitErrorPutsTheJobBackWithoutUsingAnAttempt() {
    AtomicInteger calls = new AtomicInteger();
    Job job = f.add("flaky-api", Map.of(), io.bullpen.JobOptions.builder().attempts(1).build());
    f.worker(j -> {
      if (calls.incrementAndGet() < 3) {
        throw new RateLimitError();
      }
      return "ok";
    }, f.options().drainDelay(Duration.ofMillis(100)));
    WorkerFixture.await(() -> f.redis.zscore(f.key("completed"), job.id()) != null, "job completed");
    assertEquals(3, calls.get());
    assertEquals("1", f.hash(job.id()).get("atm"), "only the successful attempt counted");
  }
}
