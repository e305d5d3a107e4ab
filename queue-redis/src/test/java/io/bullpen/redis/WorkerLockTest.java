package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.LockLostException;
import io.bullpen.event.WorkerListener;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@RedisTest
class WorkerLockTest {
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static WorkerListener errorsTo(List<Throwable> errors) {
    return new WorkerListener() {
      @Override
      public void onError(Throwable error) {
        errors.add(error);
      }
    };
  }

  private WorkerOptions.Builder shortLocks() {
    return f.options().locks(LockOptions.builder().duration(Duration.ofSeconds(1)).build())
        .stalled(StalledOptions.builder().interval(Duration.ofMillis(300)).build());
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void sleepingJobThreeTimesLongerThanItsLockKeepsItAndCompletesOnce(WorkerKind kind) {
    AtomicInteger runs = new AtomicInteger();
    List<String> stalled = new CopyOnWriteArrayList<>();
    String id = f.add("long", Map.of()).id();
    WorkerListener stalls = new WorkerListener() {
      @Override
      public void onStalled(String jobId) {
        stalled.add(jobId);
      }
    };
    f.worker(kind, job -> {
      runs.incrementAndGet();
      Thread.sleep(3000);
      return "slept";
    }, shortLocks()).addListener(stalls);
    // A second worker checks for stalls and would take the job if its lock expired.
    f.worker(kind, job -> runs.incrementAndGet(), shortLocks()).addListener(stalls);
    WorkerFixture.await(() -> f.redis.zscore(f.key("completed"), id) != null, "job completed");
    assertEquals(1, runs.get());
    assertTrue(stalled.isEmpty(), "stalled: " + stalled);
    assertNull(f.hash(id).get("stc"));
    assertEquals("1", f.hash(id).get("ats"));
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void cpuBoundJobLongerThanItsLockKeepsIt(WorkerKind kind) {
    AtomicInteger runs = new AtomicInteger();
    String id = f.add("busy", Map.of()).id();
    f.worker(kind, job -> {
      runs.incrementAndGet();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      long spins = 0;
      while (System.nanoTime() < end) {
        spins++;
      }
      return spins > 0;
    }, shortLocks());
    f.worker(kind, job -> runs.incrementAndGet(), shortLocks());
    WorkerFixture.await(() -> f.redis.zscore(f.key("completed"), id) != null, "job completed");
    assertEquals(1, runs.get());
    assertEquals("true", f.hash(id).get("returnvalue"));
  }

  @Test
  void lockTakenByAnotherWorkerRaisesLockLostAndLeavesTheJobToItsNewOwner() {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<String> completed = new CopyOnWriteArrayList<>();
    String id = f.add("stolen", Map.of()).id();
    f.worker(job -> {
      f.redis.set(f.key(job.id() + ":lock"), "someone-else");
      // Outlive a renewal round so the renewal notices the loss too.
      Thread.sleep(1200);
      return "mine";
    }, f.options().locks(LockOptions.builder().duration(Duration.ofSeconds(1)).build())
        .stalled(StalledOptions.builder().skipCheck(true).build())).addListener(errorsTo(errors))
        .addListener(new WorkerListener() {
          @Override
          public void onCompleted(Job job, Object result) {
            completed.add(job.id());
          }
        });
    WorkerFixture.await(() -> errors.stream().anyMatch(e -> e instanceof LockLostException
        && e.getMessage().contains("moveToFinished")), "lock loss reported by the final move");
    LockLostException lost = (LockLostException) errors.stream()
        .filter(e -> e instanceof LockLostException && e.getMessage().contains("moveToFinished")).findFirst().get();
    assertEquals(id, lost.jobId());
    assertEquals(f.queueName, lost.queueName());
    assertTrue(errors.stream().anyMatch(e -> e instanceof LockLostException
        && e.getMessage().contains("extendLocks")), "renewal failure reported: " + errors);
    assertTrue(completed.isEmpty());
    assertEquals(List.of(id), f.redis.lrange(f.key("active"), 0, -1), "the job stays with its new owner");
    assertEquals("someone-else", f.redis.get(f.key(id + ":lock")));
    assertNull(f.hash(id).get("finishedOn"));
    assertNull(f.redis.zscore(f.key("completed"), id));
  }

  @Test
  void missingLockMakesAFailingJobRaiseLockLostToo() {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    String id = f.add("expired", Map.of()).id();
    f.worker(job -> {
      f.redis.del(f.key(job.id() + ":lock"));
      throw new IllegalStateException("fails after losing its lock");
    }, f.options().stalled(StalledOptions.builder().skipCheck(true).build())).addListener(errorsTo(errors));
    WorkerFixture.await(() -> errors.stream().anyMatch(e -> e instanceof LockLostException), "lock loss reported");
    assertTrue(errors.get(0).getMessage().contains("missing"), errors.get(0).getMessage());
    assertEquals(List.of(id), f.redis.lrange(f.key("active"), 0, -1));
    assertNull(f.redis.zscore(f.key("failed"), id));
  }

  @Test
  void jobOfAWorkerThatStoppedRenewingIsRecoveredWithItsStallCounterIncremented() throws Exception {
    CountDownLatch hung = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Throwable> firstErrors = new CopyOnWriteArrayList<>();
    String id = f.add("stalls", Map.of()).id();
    // The first worker takes the job and then hangs without renewing its lock, like a frozen process.
    f.worker(job -> {
      hung.countDown();
      release.await(30, TimeUnit.SECONDS);
      return "too late";
    }, f.options()
        .locks(LockOptions.builder().duration(Duration.ofMillis(500)).skipRenewal(true).build())
        .stalled(StalledOptions.builder().skipCheck(true).build()))
        .addListener(errorsTo(firstErrors));
    assertTrue(hung.await(10, TimeUnit.SECONDS));

    List<String> stalled = new CopyOnWriteArrayList<>();
    AtomicInteger secondRuns = new AtomicInteger();
    f.worker(job -> {
      assertEquals(1, job.stalledCounter());
      return secondRuns.incrementAndGet();
    }, f.options().stalled(StalledOptions.builder().interval(Duration.ofMillis(300)).build())).addListener(new WorkerListener() {
      @Override
      public void onStalled(String jobId) {
        stalled.add(jobId);
      }
    });
    WorkerFixture.await(() -> f.redis.zscore(f.key("completed"), id) != null, "recovered job completed");
    assertEquals(List.of(id), stalled);
    assertEquals(1, secondRuns.get());
    Map<String, String> hash = f.hash(id);
    assertEquals("1", hash.get("stc"));
    assertEquals("2", hash.get("ats"));
    assertEquals("1", hash.get("atm"), "a stall does not count as an attempt");
    List<String> events = f.eventNamesOf(id);
    assertEquals(List.of("added", "waiting", "active", "waiting", "stalled", "active", "completed"), events);
    assertEquals("active", f.eventsOf(id).get(3).get("prev"));

    release.countDown();
    WorkerFixture.await(() -> firstErrors.stream().anyMatch(e -> e instanceof LockLostException),
        "the first worker learns it lost the job");
    assertEquals("1", f.hash(id).get("returnvalue"));
  }

  @Test
  void jobStallingMoreThanMaxStalledCountFailsWithTheStallReason() throws Exception {
    CountDownLatch hung = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    String id = f.add("stalls-too-often", Map.of(), io.bullpen.JobOptions.builder().attempts(3).build()).id();
    f.worker(job -> {
      hung.countDown();
      release.await(30, TimeUnit.SECONDS);
      return null;
    }, f.options()
        .locks(LockOptions.builder().duration(Duration.ofMillis(500)).skipRenewal(true).build())
        .stalled(StalledOptions.builder().skipCheck(true).build()));
    assertTrue(hung.await(10, TimeUnit.SECONDS));
    AtomicInteger secondRuns = new AtomicInteger();
    f.worker(job -> secondRuns.incrementAndGet(),
        f.options().stalled(StalledOptions.builder().interval(Duration.ofMillis(300)).maxCount(0).build()));
    WorkerFixture.await(() -> f.redis.zscore(f.key("failed"), id) != null, "job failed");
    release.countDown();
    assertEquals(0, secondRuns.get());
    Map<String, String> hash = f.hash(id);
    assertEquals("job stalled more than allowable limit", hash.get("failedReason"));
    assertFalse(hash.containsKey("defa"));
    assertEquals("1", hash.get("stc"));
    List<String> events = f.eventNamesOf(id);
    assertEquals(List.of("added", "waiting", "active", "waiting", "stalled", "active", "failed"), events);
    assertNotNull(hash.get("finishedOn"));
  }

  /**
   * Four jobs claimed at once share one processor thread, so the last starts long after its 1 s lock was set:
   * the lock is renewed from the claim on, and the stalled checks of a second worker find nothing to take.
   */
  @Test
  void jobsWaitingForAProcessorThreadKeepTheirLocksFromTheClaim() {
    ExecutorService oneThread = Executors.newSingleThreadExecutor();
    try {
      Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
      List<String> stalled = new CopyOnWriteArrayList<>();
      CountDownLatch firstStarted = new CountDownLatch(1);
      CountDownLatch othersMayStart = new CountDownLatch(1);
      List<String> ids = List.of(f.add("a", Map.of()).id(), f.add("b", Map.of()).id(), f.add("c", Map.of()).id(),
          f.add("d", Map.of()).id());
      f.worker(job -> {
        runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
        firstStarted.countDown();
        othersMayStart.await(30, TimeUnit.SECONDS);
        Thread.sleep(800);
        return "done";
      }, shortLocks().concurrency(4).executor(oneThread));
      assertTrue(await(firstStarted), "first job started");
      WorkerFixture.await(() -> f.redis.llen(f.key("active")) == 4, "all four claimed");
      f.worker(job -> runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet(), shortLocks())
          .addListener(new WorkerListener() {
            @Override
            public void onStalled(String jobId) {
              stalled.add(jobId);
            }
          });
      othersMayStart.countDown();
      WorkerFixture.await(Duration.ofSeconds(30), () -> f.redis.zcard(f.key("completed")) == 4,
          () -> "completed: " + f.redis.zcard(f.key("completed")));
      for (String id : ids) {
        assertEquals(1, runs.get(id).get(), "runs of " + id);
      }
      assertEquals(List.of(), stalled);
    } finally {
      oneThread.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void aLockLostWhileTheJobRunsCancelsItsTokenSoTheProcessorCanStopEarly(WorkerKind kind) throws Exception {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    CompletableFuture<String> reason = new CompletableFuture<>();
    CountDownLatch started = new CountDownLatch(1);
    String id = f.add("doomed", Map.of()).id();
    f.worker(kind, job -> {
      started.countDown();
      if (job.cancellation().await(Duration.ofSeconds(30))) {
        reason.complete(job.cancellation().reason().orElse(""));
      }
      return null;
    }, f.options().locks(LockOptions.builder().duration(Duration.ofSeconds(1)).build())
        .stalled(StalledOptions.builder().skipCheck(true).build())).addListener(errorsTo(errors));
    assertTrue(await(started), "started");
    f.redis.del(f.key(id + ":lock"));
    String why = reason.get(30, TimeUnit.SECONDS);
    assertTrue(why.contains("lost the lock"), why);
    WorkerFixture.await(() -> errors.stream().anyMatch(e -> e instanceof LockLostException), "lock loss reported");
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
