package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.Backoff;
import io.bullpen.BullpenException;
import io.bullpen.JobOptions;
import io.bullpen.UnrecoverableError;
import io.bullpen.event.WorkerListener;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class WorkerRetryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private boolean isFailed(String id) {
    return f.redis.zscore(f.key("failed"), id) != null;
  }

  private boolean isCompleted(String id) {
    return f.redis.zscore(f.key("completed"), id) != null;
  }

  @Test
  void fixedBackoffWaitsTheSameDelayBeforeEveryRetry() throws Exception {
    List<Long> starts = new CopyOnWriteArrayList<>();
    String id = f.add("fixed", Map.of(), JobOptions.builder().attempts(3).backoff(Backoff.fixed(300)).build()).id();
    f.worker(job -> {
      starts.add(System.currentTimeMillis());
      throw new IllegalStateException("boom " + starts.size());
    });
    WorkerFixture.await(() -> isFailed(id), "job failed finally");
    assertEquals(3, starts.size());
    for (int i = 1; i < starts.size(); i++) {
      assertTrue(starts.get(i) - starts.get(i - 1) >= 300, "gap " + (starts.get(i) - starts.get(i - 1)));
    }
    Map<String, String> hash = f.hash(id);
    assertEquals("3", hash.get("atm"));
    assertEquals("3", hash.get("ats"));
    assertEquals("boom 3", hash.get("failedReason"));
    assertEquals("0", hash.get("delay"), "promotion resets the delay");
    JsonNode traces = JSON.readTree(hash.get("stacktrace"));
    assertEquals(3, traces.size());
    assertTrue(traces.get(0).asText().startsWith("java.lang.IllegalStateException: boom 1"), traces.get(0).asText());
    assertTrue(traces.get(2).asText().contains("boom 3"));
    assertEquals(List.of("added", "waiting", "active", "delayed", "waiting", "active", "delayed", "waiting",
        "active", "failed", "retries-exhausted"), f.eventNamesOf(id));
    Map<String, String> exhausted = f.eventsOf(id).get(10);
    assertEquals("3", exhausted.get("attemptsMade"));
  }

  @Test
  void exponentialBackoffDoublesTheDelayAfterEachFailure() {
    List<Long> starts = new CopyOnWriteArrayList<>();
    String id = f.add("exp", Map.of(),
        JobOptions.builder().attempts(4).backoff(Backoff.exponential(200)).build()).id();
    f.worker(job -> {
      starts.add(System.currentTimeMillis());
      throw new IllegalStateException("exp");
    });
    WorkerFixture.await(() -> isFailed(id), "job failed finally");
    assertEquals(4, starts.size());
    assertTrue(starts.get(1) - starts.get(0) >= 200);
    assertTrue(starts.get(2) - starts.get(1) >= 400);
    assertTrue(starts.get(3) - starts.get(2) >= 800);
    // The `delayed` event carries the due time: the failure time plus 2^(n-1) x delay.
    List<Long> dues = new ArrayList<>();
    for (Map<String, String> event : f.eventsOf(id)) {
      if ("delayed".equals(event.get("event"))) {
        dues.add(Long.parseLong(event.get("delay")));
      }
    }
    assertEquals(3, dues.size());
    for (int i = 0; i < 3; i++) {
      long due = dues.get(i);
      long nextStart = starts.get(i + 1);
      assertTrue(nextStart >= due, "attempt " + (i + 2) + " started before its due time");
      assertTrue(due - starts.get(i) >= 200L << i, "due " + due + " too early for retry " + (i + 1));
    }
  }

  @Test
  void exponentialJitterKeepsEachDelayWithinItsBounds() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(f.add("jitter", Map.of(),
          JobOptions.builder().attempts(2).backoff(Backoff.exponential(10_000).withJitter(0.5)).build()).id());
    }
    f.worker(job -> {
      throw new IllegalStateException("jitter");
    }, f.options().concurrency(4));
    WorkerFixture.await(() -> f.redis.zcard(f.key("delayed")) == 20, "all jobs waiting for their retry");
    Set<Long> delays = new HashSet<>();
    for (String id : ids) {
      long delay = Long.parseLong(f.hash(id).get("delay"));
      assertTrue(delay >= 5_000 && delay < 10_000, "delay " + delay + " outside [5000, 10000)");
      delays.add(delay);
    }
    assertTrue(delays.size() > 1, "jitter produced one value only: " + delays);
  }

  @Test
  void customStrategyDecidesTheDelayFromTheAttemptNumberAndError() {
    List<String> calls = new CopyOnWriteArrayList<>();
    List<Long> starts = new CopyOnWriteArrayList<>();
    String id = f.add("custom", Map.of(),
        JobOptions.builder().attempts(3).backoff(Backoff.custom("linear", 0)).build()).id();
    f.worker(job -> {
      starts.add(System.currentTimeMillis());
      throw new IllegalArgumentException("attempt " + starts.size());
    }, f.options().backoffStrategy("linear", (attemptsMade, type, error, job) -> {
      calls.add(attemptsMade + ":" + type + ":" + error.getMessage() + ":" + job.id());
      return attemptsMade * 250L;
    }));
    WorkerFixture.await(() -> isFailed(id), "job failed finally");
    assertEquals(List.of("1:linear:attempt 1:" + id, "2:linear:attempt 2:" + id), calls);
    assertTrue(starts.get(1) - starts.get(0) >= 250);
    assertTrue(starts.get(2) - starts.get(1) >= 500);
    assertEquals("3", f.hash(id).get("atm"));
  }

  @Test
  void customStrategyReturningMinusOneFailsAtOnce() {
    AtomicInteger runs = new AtomicInteger();
    String id = f.add("stop", Map.of(),
        JobOptions.builder().attempts(5).backoff(Backoff.custom("never", 0)).build()).id();
    f.worker(job -> {
      runs.incrementAndGet();
      throw new IllegalStateException("no retry please");
    }, f.options().backoffStrategy("never", (attemptsMade, type, error, job) -> -1));
    WorkerFixture.await(() -> isFailed(id), "job failed");
    assertEquals(1, runs.get());
    assertEquals("1", f.hash(id).get("atm"));
    assertFalse(f.eventNamesOf(id).contains("retries-exhausted"), "attempts were not exhausted");
  }

  @Test
  void customStrategyReturningZeroRetriesAtOnce() {
    AtomicInteger runs = new AtomicInteger();
    String id = f.add("again", Map.of(),
        JobOptions.builder().attempts(3).backoff(Backoff.custom("now", 0)).build()).id();
    f.worker(job -> {
      if (runs.incrementAndGet() < 3) {
        throw new IllegalStateException("not yet");
      }
      return "done";
    }, f.options().backoffStrategy("now", (attemptsMade, type, error, job) -> 0));
    WorkerFixture.await(() -> isCompleted(id), "job completed");
    assertFalse(f.eventNamesOf(id).contains("delayed"));
  }

  @Test
  void jobWithoutBackoffIsRetriedImmediatelyAndCountsEveryAttempt() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    String id = f.add("retry", Map.of(), JobOptions.builder().attempts(3).build()).id();
    f.worker(job -> {
      assertEquals(runs.get(), job.attemptsMade());
      assertEquals(runs.get() + 1, job.attemptsStarted());
      if (runs.incrementAndGet() < 3) {
        throw new IllegalStateException("fail " + runs.get());
      }
      return Map.of("run", runs.get());
    });
    WorkerFixture.await(() -> isCompleted(id), "job completed");
    Map<String, String> hash = f.hash(id);
    assertEquals("3", hash.get("atm"));
    assertEquals("3", hash.get("ats"));
    assertEquals("{\"run\":3}", hash.get("returnvalue"));
    assertEquals("fail 2", hash.get("failedReason"), "the last failure's reason stays after a success");
    assertEquals(2, JSON.readTree(hash.get("stacktrace")).size());
    assertEquals(List.of("added", "waiting", "active", "waiting", "active", "waiting", "active", "completed"),
        f.eventNamesOf(id));
    assertEquals("active", f.eventsOf(id).get(3).get("prev"));
  }

  @Test
  void stackTraceLimitKeepsOnlyTheNewestTraces() throws Exception {
    String id = f.add("limited", Map.of(), JobOptions.builder().attempts(3).stackTraceLimit(1).build()).id();
    AtomicInteger runs = new AtomicInteger();
    f.worker(job -> {
      throw new IllegalStateException("trace " + runs.incrementAndGet());
    });
    WorkerFixture.await(() -> isFailed(id), "job failed");
    JsonNode traces = JSON.readTree(f.hash(id).get("stacktrace"));
    assertEquals(1, traces.size());
    assertTrue(traces.get(0).asText().contains("trace 3"));
  }

  @Test
  void unrecoverableErrorFailsTheJobWithoutUsingTheRemainingAttempts() {
    AtomicInteger runs = new AtomicInteger();
    String id = f.add("fatal", Map.of(), JobOptions.builder().attempts(5).backoff(Backoff.fixed(10)).build()).id();
    f.worker(job -> {
      runs.incrementAndGet();
      throw new UnrecoverableError("cannot ever work");
    });
    WorkerFixture.await(() -> isFailed(id), "job failed");
    assertEquals(1, runs.get());
    Map<String, String> hash = f.hash(id);
    assertEquals("cannot ever work", hash.get("failedReason"));
    assertEquals("1", hash.get("atm"));
  }

  @Test
  void jobWithDeferredFailureFailsAtOnceWithoutRunningTheProcessor() {
    String id = f.add("doomed", Map.of(), JobOptions.builder().attempts(3).build()).id();
    f.redis.hset(f.key(id), "defa", "child bull:other:c1 failed");
    AtomicInteger runs = new AtomicInteger();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    f.worker(job -> runs.incrementAndGet()).addListener(new WorkerListener() {
      @Override
      public void onFailed(io.bullpen.Job job, Throwable error) {
        failures.add(error);
      }
    });
    WorkerFixture.await(() -> isFailed(id), "job failed");
    assertEquals(0, runs.get());
    Map<String, String> hash = f.hash(id);
    assertEquals("child bull:other:c1 failed", hash.get("failedReason"));
    assertNull(hash.get("defa"), "defa is cleared when the job fails");
    assertEquals("1", hash.get("atm"));
    WorkerFixture.await(() -> failures.size() == 1, "failed event delivered");
    assertTrue(failures.get(0) instanceof UnrecoverableError);
  }

  @Test
  void jobStartedMoreThanMaxStartedAttemptsFails() {
    String id = f.add("restarted", Map.of(), JobOptions.builder().attempts(10).build()).id();
    f.redis.hset(f.key(id), "ats", "3");
    AtomicInteger runs = new AtomicInteger();
    f.worker(job -> runs.incrementAndGet(), f.options().maxStartedAttempts(3));
    WorkerFixture.await(() -> isFailed(id), "job failed");
    assertEquals(0, runs.get());
    assertEquals("job started more than allowable limit", f.hash(id).get("failedReason"));
    assertEquals("4", f.hash(id).get("ats"));
  }

  @Test
  void unknownBackoffTypeFailsTheJobAndReportsTheMissingStrategy() {
    String id = f.add("unknown", Map.of(),
        JobOptions.builder().attempts(3).backoff(Backoff.custom("nobody-knows", 10)).build()).id();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    f.worker(job -> {
      throw new IllegalStateException("first failure");
    }).addListener(new WorkerListener() {
      @Override
      public void onError(Throwable error) {
        errors.add(error);
      }
    });
    WorkerFixture.await(() -> isFailed(id), "job failed");
    assertEquals("first failure", f.hash(id).get("failedReason"));
    WorkerFixture.await(() -> !errors.isEmpty(), "error reported");
    assertTrue(errors.get(0) instanceof BullpenException && errors.get(0).getMessage().contains("nobody-knows"));
  }
}
