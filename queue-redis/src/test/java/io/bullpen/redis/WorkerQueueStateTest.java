package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Limiter;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Queue-wide settings kept in `meta` (pause, global concurrency, global rate limit) bind every worker. */
@RedisTest
class WorkerQueueStateTest {
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
  void pausedQueueKeepsWorkersIdleUntilResumed() throws Exception {
    f.worker(job -> null, f.options().drainDelay(Duration.ofMillis(300)));
    f.queue.pause();
    String id = f.add("held", Map.of()).id();
    Thread.sleep(1000);
    assertEquals(List.of(id), f.redis.lrange(f.key("wait"), 0, -1));
    f.queue.resume();
    WorkerFixture.await(() -> f.redis.zscore(f.key("completed"), id) != null, "job completed after resume");
  }

  @Test
  void globalConcurrencyLimitsJobsAcrossAllWorkers() {
    f.redis.hset(f.key("meta"), "concurrency", "2");
    for (int i = 0; i < 12; i++) {
      f.add("job", Map.of());
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    for (int w = 0; w < 2; w++) {
      f.worker(job -> {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        Thread.sleep(50);
        running.decrementAndGet();
        return null;
      }, f.options().concurrency(4).drainDelay(Duration.ofMillis(200)));
    }
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 12, "12 jobs completed");
    assertTrue(most.get() <= 2, "at most 2 jobs at once across workers, saw " + most.get());
  }

  @Test
  void globalRateLimitInMetaOverridesTheWorkersMax() {
    f.redis.hset(f.key("meta"), Map.of("max", "1", "duration", "500"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(f.add("job", Map.of()).id());
    }
    f.worker(job -> null, f.options().limiter(new Limiter(100, 500)).concurrency(3));
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 3, "3 jobs completed");
    List<Long> starts = new ArrayList<>();
    for (String id : ids) {
      starts.add(Long.parseLong(f.hash(id).get("processedOn")));
    }
    starts.sort(null);
    assertTrue(starts.get(1) - starts.get(0) >= 450, "one job per window: " + starts);
    assertTrue(starts.get(2) - starts.get(1) >= 450, "one job per window: " + starts);
  }
}
