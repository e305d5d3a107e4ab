package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.BatchOptions;
import io.bullpen.BatchProcessor;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobOutcome;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.event.WorkerListener;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class BatchWorkerTest {
  private WorkerFixture f;
  private final List<BatchWorker> workers = new ArrayList<>();

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    workers.forEach(w -> w.close(true));
    f.close();
  }

  private BatchWorker worker(BatchProcessor processor, BatchOptions batch, WorkerOptions.Builder options) {
    BatchWorker worker = new BatchWorker(f.queueName, processor, options.build(), batch);
    workers.add(worker);
    return worker;
  }

  private JobState state(String id) {
    return f.queue.getJobState(id);
  }

  @Test
  void aBatchProcessorGetsUpToSizeJobsAndEachOutcomeIsAppliedOnItsOwn() {
    List<io.bullpen.JobSpec> specs = new ArrayList<>();
    for (String kind : List.of("ok", "fail", "later", "ok", "fatal", "slow", "ok")) {
      specs.add(JobSpec.of(kind, Map.of("kind", kind), JobOptions.builder().attempts(2).build()));
    }
    List<String> ids = f.queue.addBulk(specs).stream().map(Job::id).toList();
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    worker(jobs -> {
      sizes.add(jobs.size());
      List<JobOutcome> out = new ArrayList<>();
      for (Job job : jobs) {
        int call = calls.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
        switch (job.name()) {
          case "ok" -> out.add(JobOutcome.completed(Map.of("id", job.id())));
          case "fail" -> out.add(JobOutcome.failed(new IllegalStateException("bad " + call)));
          case "fatal" -> out.add(JobOutcome.failed(new io.bullpen.UnrecoverableError("fatal")));
          case "later" -> out.add(call == 1 ? JobOutcome.retryLater() : JobOutcome.completed("second time"));
          default -> out.add(call == 1 ? JobOutcome.retryLater(Duration.ofMillis(200)) : JobOutcome.completed(null));
        }
      }
      return out;
    }, BatchOptions.of(3, Duration.ZERO), f.options());
    WorkerFixture.await(() -> ids.stream().allMatch(id ->
        state(id) == JobState.COMPLETED || state(id) == JobState.FAILED), "every job settled");
    assertTrue(sizes.stream().allMatch(s -> s >= 1 && s <= 3), sizes.toString());
    assertEquals(3, sizes.get(0));
    assertEquals("{\"id\":\"" + ids.get(0) + "\"}", f.hash(ids.get(0)).get("returnvalue"));
    // fail: attempts 2, no backoff: retried at once, then failed for good
    assertEquals(JobState.FAILED, state(ids.get(1)));
    assertEquals("2", f.hash(ids.get(1)).get("atm"));
    assertEquals("bad 2", f.hash(ids.get(1)).get("failedReason"));
    // later: handed back without using an attempt, completed on the second run
    assertEquals("\"second time\"", f.hash(ids.get(2)).get("returnvalue"));
    assertEquals("1", f.hash(ids.get(2)).get("atm"));
    assertEquals("2", f.hash(ids.get(2)).get("ats"));
    assertEquals(List.of("added", "waiting", "active", "waiting", "active", "completed"), f.eventNamesOf(ids.get(2)));
    // fatal: one attempt only
    assertEquals("1", f.hash(ids.get(4)).get("atm"));
    assertEquals(JobState.FAILED, state(ids.get(4)));
    // slow: delayed 200 ms without an attempt, then completed
    assertEquals(List.of("added", "waiting", "active", "delayed", "waiting", "active", "completed"),
        f.eventNamesOf(ids.get(5)));
    assertEquals("1", f.hash(ids.get(5)).get("atm"));
    assertEquals(List.of("added", "waiting", "active", "completed"), f.eventNamesOf(ids.get(6)));
    assertNull(f.redis.get(f.key(ids.get(6) + ":lock")));
  }

  @Test
  void aBatchWaitsUpToMaxWaitForMoreJobsOnceItHasOne() throws Exception {
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    worker(jobs -> {
      batches.add(jobs.stream().map(Job::name).toList());
      return jobs.stream().map(j -> JobOutcome.completed(null)).toList();
    }, BatchOptions.of(4, Duration.ofMillis(1500)), f.options());
    Thread.sleep(200);
    f.add("a", Map.of());
    Thread.sleep(150);
    f.add("b", Map.of());
    f.add("c", Map.of());
    Thread.sleep(150);
    f.add("d", Map.of());
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 4, "four completed");
    assertEquals(List.of(List.of("a", "b", "c", "d")), batches);

    long start = System.nanoTime();
    f.add("alone", Map.of());
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 5, "the lone job completed");
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(List.of("alone"), batches.get(1));
    assertTrue(waitedMillis >= 1000, "a lone job waits for company for about maxWait: " + waitedMillis);
  }

  @Test
  void aThrowingProcessorOrAWrongNumberOfOutcomesFailsTheWholeBatch() {
    String a = f.add("a", Map.of()).id();
    String b = f.add("b", Map.of()).id();
    AtomicInteger calls = new AtomicInteger();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    worker(jobs -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("database down");
      }
      return List.of(JobOutcome.completed(1));
    }, BatchOptions.of(2, Duration.ZERO), f.options()).addListener(new WorkerListener() {
      @Override
      public void onFailed(Job job, Throwable error) {
        failures.add(error);
      }
    });
    WorkerFixture.await(() -> state(a) == JobState.FAILED && state(b) == JobState.FAILED, "both failed");
    assertEquals("database down", f.hash(a).get("failedReason"));
    assertEquals("database down", f.hash(b).get("failedReason"));
    assertEquals(2, failures.size());

    List<Job> more = f.queue.addBulk(List.of(JobSpec.of("c", Map.of(), null), JobSpec.of("d", Map.of(), null)));
    String c = more.get(0).id();
    String d = more.get(1).id();
    WorkerFixture.await(() -> state(c) == JobState.FAILED && state(d) == JobState.FAILED, "both failed again");
    assertTrue(f.hash(c).get("failedReason").contains("returned 1 outcome(s) for 2 job(s)"),
        f.hash(c).get("failedReason"));
  }

  @Test
  void manyJobsThroughConcurrentBatchesEachCompleteExactlyOnce() {
    int total = 1000;
    List<io.bullpen.JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      specs.add(JobSpec.of("job", Map.of("i", i), null));
    }
    f.queue.addBulk(specs);
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    BatchProcessor processor = jobs -> {
      jobs.forEach(j -> seen.computeIfAbsent(j.id(), k -> new AtomicInteger()).incrementAndGet());
      return jobs.stream().map(j -> JobOutcome.completed(j.id())).toList();
    };
    worker(processor, BatchOptions.of(50, Duration.ofMillis(5)), f.options().concurrency(4));
    worker(processor, BatchOptions.of(7, Duration.ZERO), f.options().concurrency(2));
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == total, "all completed");
    assertEquals(total, seen.size());
    assertTrue(seen.values().stream().allMatch(n -> n.get() == 1));
    assertEquals(0, f.redis.llen(f.key("active")));
    List<String> names = f.eventNamesOf(null);
    assertEquals(total, names.stream().filter("completed"::equals).count());
    assertEquals(total, names.stream().filter("active"::equals).count());
  }

  @Test
  void aJobCancelledWhileItsBatchRunsFailsWithTheReasonAndTheOthersComplete() {
    List<JobSpec> specs = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      specs.add(JobSpec.of(name, Map.of(), JobOptions.builder().attempts(3).build()));
    }
    List<String> ids = f.queue.addBulk(specs).stream().map(Job::id).toList();
    AtomicInteger batches = new AtomicInteger();
    worker(jobs -> {
      batches.incrementAndGet();
      Job b = jobs.stream().filter(j -> j.name().equals("b")).findFirst().orElseThrow();
      try {
        b.cancellation().await(Duration.ofSeconds(20));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return jobs.stream().map(j -> j.cancellation().isCancelled()
          ? JobOutcome.failed(new IllegalStateException("stopped half way"))
          : JobOutcome.completed(j.name())).toList();
    }, BatchOptions.of(3, Duration.ofSeconds(5)), f.options());
    WorkerFixture.await(() -> state(ids.get(1)) == JobState.ACTIVE && state(ids.get(2)) == JobState.ACTIVE,
        "the batch of three runs");
    assertTrue(f.queue.cancelJob(ids.get(1), "b is not wanted"));
    WorkerFixture.await(() -> state(ids.get(1)) == JobState.FAILED && state(ids.get(0)) == JobState.COMPLETED
        && state(ids.get(2)) == JobState.COMPLETED, "b failed, a and c completed");
    Map<String, String> b = f.hash(ids.get(1));
    assertEquals("b is not wanted", b.get("failedReason"));
    assertEquals("1", b.get("atm"), "a cancel without retry is not retried");
    assertEquals(1, batches.get());
  }

  @Test
  void linesLoggedInABatchAreWrittenToEachJobsLog() {
    List<String> ids = f.queue.addBulk(List.of(JobSpec.of("x", Map.of()), JobSpec.of("y", Map.of()))).stream()
        .map(Job::id).toList();
    worker(jobs -> jobs.stream().map(j -> {
      j.log("start " + j.name());
      j.log("end " + j.name());
      return JobOutcome.completed(null);
    }).toList(), BatchOptions.of(2, Duration.ofSeconds(5)), f.options());
    WorkerFixture.await(() -> state(ids.get(0)) == JobState.COMPLETED && state(ids.get(1)) == JobState.COMPLETED,
        "both completed");
    assertEquals(List.of("start x", "end x"), f.queue.getJobLogs(ids.get(0)).lines());
    assertEquals(List.of("start y", "end y"), f.queue.getJobLogs(ids.get(1)).lines());
  }
}
