package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.JobSpec;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class WorkerConcurrencyTest {
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
  void neverRunsMoreJobsAtOnceThanItsConcurrency() {
    for (int i = 0; i < 40; i++) {
      f.add("job", Map.of("i", i));
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    f.worker(job -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      Thread.sleep(40);
      running.decrementAndGet();
      return done.incrementAndGet();
    }, f.options().concurrency(5));
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 40, "40 jobs completed");
    assertTrue(most.get() <= 5, "at most 5 at once, saw " + most.get());
    assertTrue(most.get() > 1, "jobs ran in parallel");
  }

  @Test
  void everySlotCanBlockAtOnceOnTheWorkersOwnPool() {
    int concurrency = 64;
    for (int i = 0; i < concurrency; i++) {
      f.add("job", Map.of("i", i));
    }
    // Each job blocks until all of them are running: only a pool that runs a thread per slot gets past it.
    CountDownLatch allRunning = new CountDownLatch(concurrency);
    f.worker(job -> {
      allRunning.countDown();
      if (!allRunning.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("only " + (concurrency - allRunning.getCount()) + " jobs ran at once");
      }
      return null;
    }, f.options().concurrency(concurrency));
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == concurrency, concurrency + " jobs completed");
    assertEquals(0, f.redis.zcard(f.key("failed")));
  }

  @Test
  void asyncProcessorHoldsItsSlotUntilTheStageCompletes() {
    for (int i = 0; i < 20; i++) {
      f.add("job", Map.of("i", i));
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ExecutorService background = Executors.newCachedThreadPool();
    try {
      f.asyncWorker(job -> {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        return CompletableFuture.supplyAsync(() -> {
          try {
            Thread.sleep(30);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          running.decrementAndGet();
          return Map.of("id", job.id());
        }, background);
      }, f.options().concurrency(3));
      WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 20, "20 jobs completed");
      assertTrue(most.get() <= 3, "at most 3 at once, saw " + most.get());
    } finally {
      background.shutdownNow();
    }
  }

  @Test
  void processorsRunOnTheExecutorGivenInTheOptions() {
    ConcurrentHashMap<String, Boolean> threads = new ConcurrentHashMap<>();
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "custom-executor"));
    try {
      for (int i = 0; i < 5; i++) {
        f.add("job", Map.of());
      }
      f.worker(job -> threads.put(Thread.currentThread().getName(), true),
          f.options().concurrency(2).executor(executor));
      WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 5, "5 jobs completed");
      assertEquals(List.of("custom-executor"), new ArrayList<>(threads.keySet()));
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void manyWorkersProcessEveryJobExactlyOnce() throws Exception {
    int jobs = 2000;
    List<io.bullpen.JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      specs.add(JobSpec.of("job", Map.of("i", i), null));
    }
    ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    for (int w = 0; w < 4; w++) {
      f.worker(job -> runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet(),
          f.options().concurrency(8).name("w" + w));
    }
    for (int from = 0; from < jobs; from += 250) {
      f.queue.addBulk(specs.subList(from, from + 250));
    }
    WorkerFixture.await(Duration.ofSeconds(120), () -> f.redis.zcard(f.key("completed")) == jobs,
        () -> "all jobs completed, have " + f.redis.zcard(f.key("completed")));
    assertEquals(jobs, runs.size());
    runs.forEach((id, count) -> assertEquals(1, count.get(), "job " + id + " ran " + count.get() + " times"));
    assertEquals(0L, f.redis.llen(f.key("active")));
    assertEquals(0L, f.redis.llen(f.key("wait")));
    assertEquals(0L, f.redis.zcard(f.key("failed")));
    Map<String, Long> byWorker = new ConcurrentHashMap<>();
    for (String id : runs.keySet()) {
      byWorker.merge(f.hash(id).get("pb"), 1L, Long::sum);
    }
    assertTrue(byWorker.size() > 1, "work was shared between workers: " + byWorker);
    TimeUnit.MILLISECONDS.sleep(1);
  }
}
