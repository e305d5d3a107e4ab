package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bullpen.BullpenException;
import io.bullpen.ClosedException;
import io.bullpen.Job;
import io.bullpen.Limiter;
import io.bullpen.RateLimitError;
import io.bullpen.event.WorkerListener;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.bullpen.testkit.StandaloneOnly;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@RedisTest
class WorkerLifecycleTest {
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private boolean completed(String id) {
    return f.redis.zscore(f.key("completed"), id) != null;
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void pausedWorkerTakesNoJobsUntilResumed(WorkerKind kind) throws Exception {
    AbstractWorker<?> worker = f.worker(kind, job -> "done");
    worker.pause();
    assertTrue(worker.isPaused());
    String id = f.add("held", Map.of()).id();
    Thread.sleep(1500);
    assertEquals(List.of(id), f.redis.lrange(f.key("wait"), 0, -1));
    worker.resume();
    WorkerFixture.await(() -> completed(id), "job completed after resume");
  }

  /** A worker whose jobs signal {@code started} and then run until {@code release}. */
  private AbstractWorker<?> runningUntilReleased(WorkerKind kind, CountDownLatch started, CountDownLatch release) {
    return f.worker(kind, job -> {
      started.countDown();
      release.await(20, TimeUnit.SECONDS);
      return "finished";
    });
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void pauseWaitingForActiveJobsReturnsOnceTheyAreSettled(WorkerKind kind) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    String id = f.add("slow", Map.of()).id();
    AbstractWorker<?> worker = runningUntilReleased(kind, started, release);
    assertTrue(started.await(10, TimeUnit.SECONDS));
    Thread pauser = new Thread(() -> worker.pause(true));
    pauser.start();
    WorkerFixture.await(worker::isPaused, "paused");
    pauser.join(300);
    assertTrue(pauser.isAlive(), "pause(true) is still waiting for the running job");
    assertFalse(completed(id));
    String later = f.add("later", Map.of()).id();
    release.countDown();
    pauser.join(TimeUnit.SECONDS.toMillis(20));
    assertFalse(pauser.isAlive(), "pause(true) returned after the job");
    assertTrue(completed(id), "the job was settled before pause(true) returned");
    assertEquals(0, worker.activeCount());
    assertEquals(List.of(later), f.redis.lrange(f.key("wait"), 0, -1), "no job taken while paused");
    worker.resume();
    WorkerFixture.await(() -> completed(later), "the next job ran after resume");
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void pauseWithoutWaitingReturnsWhileTheJobStillRuns(WorkerKind kind) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    String id = f.add("slow", Map.of()).id();
    AbstractWorker<?> worker = runningUntilReleased(kind, started, release);
    assertTrue(started.await(10, TimeUnit.SECONDS));
    worker.pause(false);
    assertEquals(1, worker.activeCount());
    assertFalse(completed(id));
    release.countDown();
    WorkerFixture.await(() -> completed(id), "the job still completes while paused");
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void closeWaitsForTheJobsInFlight(WorkerKind kind) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    String id = f.add("slow", Map.of()).id();
    AbstractWorker<?> worker = f.worker(kind, job -> {
      started.countDown();
      Thread.sleep(1000);
      return "finished";
    });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    worker.close();
    assertTrue(completed(id), "the job finished before close returned");
    assertFalse(worker.isRunning());
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void forcedCloseReturnsWithoutWaitingAndLeavesTheJobActive(WorkerKind kind) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    String id = f.add("stuck", Map.of()).id();
    AbstractWorker<?> worker = f.worker(kind, job -> {
      started.countDown();
      never.await(60, TimeUnit.SECONDS);
      return null;
    });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    long before = System.nanoTime();
    worker.close(true);
    assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - before) < 10, "close(true) did not wait");
    assertEquals(List.of(id), f.redis.lrange(f.key("active"), 0, -1));
    never.countDown();
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void closeStopsWaitingAfterTheCloseTimeout(WorkerKind kind) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    f.add("stuck", Map.of());
    AbstractWorker<?> worker = f.worker(kind, job -> {
      started.countDown();
      never.await(60, TimeUnit.SECONDS);
      return null;
    }, f.options().closeTimeout(Duration.ofMillis(500)));
    assertTrue(started.await(10, TimeUnit.SECONDS));
    long before = System.nanoTime();
    worker.close();
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
    assertTrue(took >= 450 && took < 10_000, "close took " + took + " ms");
    never.countDown();
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void processorExceptionsAndErrorsNeverStopTheWorker(WorkerKind kind) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(f.add("job-" + i, Map.of()).id());
    }
    f.worker(kind, job -> {
      switch (job.name()) {
        case "job-0":
          throw new RuntimeException("runtime");
        case "job-1":
          throw new AssertionError("an Error");
        case "job-2":
          throw new Exception("checked");
        default:
          return "fine";
      }
    });
    WorkerFixture.await(() -> completed(ids.get(3)), "last job completed");
    assertEquals(3L, f.redis.zcard(f.key("failed")));
    assertEquals("an Error", f.hash(ids.get(1)).get("failedReason"));
  }

  @Test
  void listenerThatThrowsDoesNotBreakTheWorkerOrOtherListeners() {
    List<String> seen = new CopyOnWriteArrayList<>();
    String first = f.add("a", Map.of()).id();
    String second = f.add("b", Map.of()).id();
    f.worker(job -> job.name()).addListener(new WorkerListener() {
      @Override
      public void onActive(Job job) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onCompleted(Job job, Object result) {
        throw new IllegalStateException("listener bug");
      }
    }).addListener(new WorkerListener() {
      @Override
      public void onCompleted(Job job, Object result) {
        seen.add(job.id() + "=" + result);
      }
    });
    WorkerFixture.await(() -> seen.size() == 2, "both jobs completed");
    assertEquals(List.of(first + "=a", second + "=b"), seen);
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void listenerSeesActiveProgressCompletedAndDrained(WorkerKind kind) {
    List<String> seen = new CopyOnWriteArrayList<>();
    String id = f.add("reporting", Map.of()).id();
    // Not started until the listener is in: a running worker may fetch the job before addListener returns.
    AbstractWorker<?> worker = f.worker(kind, job -> {
      job.updateProgress(Map.of("pct", 50));
      return 7;
    }, f.options().autorun(false));
    worker.addListener(new WorkerListener() {
      @Override
      public void onActive(Job job) {
        seen.add("active:" + job.id());
      }

      @Override
      public void onProgress(Job job, Object progress) {
        seen.add("progress:" + job.id() + ":" + progress);
      }

      @Override
      public void onCompleted(Job job, Object result) {
        seen.add("completed:" + job.id() + ":" + result);
      }

      @Override
      public void onDrained() {
        seen.add("drained");
      }
    });
    worker.run();
    WorkerFixture.await(() -> seen.contains("drained"), "drained after the job");
    assertEquals(List.of("active:" + id, "progress:" + id + ":{pct=50}", "completed:" + id + ":7", "drained"),
        seen);
    assertEquals("{\"pct\":50}", f.hash(id).get("progress"));
  }

  @Test
  void blockingConnectionCarriesBullMqsWorkerClientName() {
    f.worker(job -> null, f.options().name("w-one"));
    String expected = "bull:" + Base64.getEncoder().encodeToString(f.queueName.getBytes()) + ":w:w-one";
    WorkerFixture.await(() -> f.direct.clientList().contains("name=" + expected + " "), "named connection listed");
    f.worker(job -> null);
    String unnamed = "bull:" + Base64.getEncoder().encodeToString(f.queueName.getBytes());
    WorkerFixture.await(() -> f.direct.clientList().contains("name=" + unnamed + " "), "unnamed worker listed");
  }

  @Test
  void idleWorkerBlocksOnTheMarkerInsteadOfPolling() throws Exception {
    Worker worker = f.worker(job -> null);
    WorkerFixture.await(() -> commandCalls("bzpopmin") > 0, "worker blocked on the marker");
    long fetchesBefore = commandCalls("evalsha") + commandCalls("fcall");
    long blocksBefore = commandCalls("bzpopmin");
    Thread.sleep(2000);
    // With the default 5 s drain delay an idle worker makes no call at all in 2 s.
    assertTrue(commandCalls("evalsha") + commandCalls("fcall") - fetchesBefore <= 1, "fetched while idle");
    assertTrue(commandCalls("bzpopmin") - blocksBefore <= 1, "blocked repeatedly while idle");
    String id = f.add("wake", Map.of()).id();
    WorkerFixture.await(Duration.ofSeconds(3), () -> completed(id), () -> "marker woke the worker at once");
    worker.close();
  }

  private long commandCalls(String command) {
    return f.direct.commandCalls(command);
  }

  @Test
  void workerStartsOnlyWhenRunUnlessAutorun() throws Exception {
    String id = f.add("manual", Map.of()).id();
    Worker worker = f.worker(job -> "ran", f.options().autorun(false));
    assertFalse(worker.isRunning());
    Thread.sleep(500);
    assertEquals(List.of(id), f.redis.lrange(f.key("wait"), 0, -1));
    worker.run();
    assertTrue(worker.isRunning());
    assertThrows(BullpenException.class, worker::run);
    WorkerFixture.await(() -> completed(id), "job completed");
    worker.close();
    ClosedException closed = assertThrows(ClosedException.class, worker::run);
    assertTrue(closed.getMessage().endsWith(" is closed"), closed.getMessage());
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void healthTellsRunningPausedHeldJobsAndWhenTheLastFetchWasAnswered(WorkerKind kind) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AbstractWorker<?> worker = f.worker(kind, job -> {
      started.countDown();
      release.await(30, TimeUnit.SECONDS);
      return "ran";
    }, f.options().autorun(false));
    WorkerHealth before = worker.health();
    assertFalse(before.running());
    assertEquals(Optional.empty(), before.sinceLastFetch());
    String id = f.add("watched", Map.of()).id();
    worker.run();
    assertTrue(started.await(30, TimeUnit.SECONDS));
    WorkerHealth busy = worker.health();
    assertTrue(busy.running(), busy.toString());
    assertEquals(1, busy.activeJobs(), busy.toString());
    assertTrue(busy.sinceLastFetch().isPresent(), busy.toString());
    assertEquals(0, busy.reconnects());
    release.countDown();
    WorkerFixture.await(() -> completed(id), "job completed");
    worker.pause();
    assertTrue(worker.health().paused());
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void rateLimitedJobGoesBackToWaitWithoutUsingAnAttempt(WorkerKind kind) {
    List<Long> starts = new CopyOnWriteArrayList<>();
    String id = f.add("limited", Map.of()).id();
    AtomicInteger runs = new AtomicInteger();
    AbstractWorker<?>[] holder = new AbstractWorker<?>[1];
    holder[0] = f.worker(kind, job -> {
      starts.add(System.currentTimeMillis());
      if (runs.incrementAndGet() == 1) {
        holder[0].rateLimit(1000);
        throw new RateLimitError();
      }
      return "second time";
    }, f.options().limiter(new Limiter(100, 1000)).autorun(false));
    holder[0].run();
    WorkerFixture.await(() -> completed(id), "job completed");
    assertEquals(2, starts.size());
    assertTrue(starts.get(1) - starts.get(0) >= 900, "waited " + (starts.get(1) - starts.get(0)) + " ms");
    Map<String, String> hash = f.hash(id);
    assertEquals("1", hash.get("atm"), "only the completion counts as an attempt");
    assertEquals("2", hash.get("ats"));
    assertFalse(f.eventNamesOf(id).contains("failed"));
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void workerLimiterStartsAtMostMaxJobsPerWindow(WorkerKind kind) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(f.add("job", Map.of()).id());
    }
    f.worker(kind, job -> null, f.options().limiter(new Limiter(2, 1000)).concurrency(4));
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 6, "6 jobs completed");
    List<Long> starts = new ArrayList<>();
    for (String id : ids) {
      starts.add(Long.parseLong(f.hash(id).get("processedOn")));
    }
    starts.sort(null);
    assertTrue(starts.get(2) - starts.get(0) >= 950, "third job started within the first window: " + starts);
    assertTrue(starts.get(4) - starts.get(0) >= 1900, "fifth job started within two windows: " + starts);
  }

  @Test
  @StandaloneOnly("stops and restarts the shared single Redis")
  void workerCarriesOnAfterRedisRestarts() throws Exception {
    assumeTrue(f.server.canRestart(), "this Redis cannot be restarted by the test");
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<String> done = new CopyOnWriteArrayList<>();
    f.worker(job -> done.add(job.id()), f.options().name("survivor")).addListener(new WorkerListener() {
      @Override
      public void onError(Throwable error) {
        errors.add(error);
      }
    });
    String before = f.add("before", Map.of()).id();
    WorkerFixture.await(() -> done.contains(before), "job before the restart");
    f.server.stopServer();
    Thread.sleep(1500);
    f.server.startServer();
    WorkerFixture.await(() -> !errors.isEmpty(), "the outage was reported");
    // Data is gone after the restart; new jobs must still be taken without touching the worker.
    String[] added = new String[1];
    WorkerFixture.await(() -> {
      try {
        added[0] = f.add("after", Map.of()).id();
        return true;
      } catch (io.bullpen.QueueConnectionException reconnecting) {
        return false;
      }
    }, "the producer reconnected");
    String after = added[0];
    WorkerFixture.await(Duration.ofSeconds(30), () -> f.redis.zscore(f.key("completed"), after) != null,
        () -> "job after the restart completed");
    String name = "bull:" + Base64.getEncoder().encodeToString(f.queueName.getBytes()) + ":w:survivor";
    WorkerFixture.await(() -> f.direct.clientList().contains("name=" + name + " "), "client name set again");
  }

  @Test
  @StandaloneOnly("stops and restarts the shared single Redis")
  void jobFinishingWhileRedisIsAwayRetriesItsFinalMoveOnceRedisIsBack() throws Exception {
    assumeTrue(f.server.canRestart(), "this Redis cannot be restarted by the test");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    String id = f.add("outlives-redis", Map.of()).id();
    f.worker(job -> {
      started.countDown();
      release.await(30, TimeUnit.SECONDS);
      return "done";
    }).addListener(new WorkerListener() {
      @Override
      public void onError(Throwable error) {
        errors.add(error);
      }
    });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    f.server.stopServer();
    // Let the client see the closed socket first: a move written to a connection that is just dying may have
    // reached Redis, and such a move is deliberately not repeated (the stalled check recovers that job instead).
    Thread.sleep(1500);
    release.countDown();
    WorkerFixture.await(() -> errors.stream().anyMatch(e -> e.getMessage().contains("moveToFinished")),
        "the rejected final move was reported");
    Thread.sleep(500);
    f.server.startServer();
    // The restarted server lost the job, so the repeated move now finds it gone: proof it was tried again.
    WorkerFixture.await(Duration.ofSeconds(30), () -> errors.stream().anyMatch(e ->
        e instanceof io.bullpen.JobNotFoundException && id.equals(((io.bullpen.JobNotFoundException) e).jobId())),
        () -> "the final move ran again after the restart: " + errors);
  }
}
