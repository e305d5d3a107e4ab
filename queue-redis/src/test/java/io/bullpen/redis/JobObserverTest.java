package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Backoff;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.observe.AddObservation;
import io.bullpen.observe.AttemptObservation;
import io.bullpen.observe.AttemptResult;
import io.bullpen.observe.JobAdd;
import io.bullpen.observe.JobAttempt;
import io.bullpen.observe.JobObserver;
import io.bullpen.observe.Scope;
import io.bullpen.observe.WorkerInfo;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** What a registered {@link JobObserver} hears from a queue and a worker, and what it may change. */
@RedisTest
class JobObserverTest {
  /** Records every callback as one line; gives each added job a traceparent header naming its index. */
  static final class Recording implements JobObserver {
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final BlockingQueue<AttemptResult> results = new LinkedBlockingQueue<>();
    final List<JobAttempt> attempts = Collections.synchronizedList(new ArrayList<>());
    volatile WorkerInfo worker;

    @Override
    public AddObservation addStarting(String queueName, List<JobAdd> jobs) {
      lines.add("addStarting " + jobs.stream().map(JobAdd::name).toList());
      return new AddObservation() {
        @Override
        public Map<String, String> propagationHeaders(int index) {
          return Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333" + index + "-01");
        }

        @Override
        public void added(List<String> jobIds) {
          lines.add("added " + jobIds.size());
        }
      };
    }

    @Override
    public AttemptObservation attemptStarting(JobAttempt attempt) {
      attempts.add(attempt);
      lines.add("start " + attempt.job().name() + " #" + attempt.attempt());
      return new AttemptObservation() {
        @Override
        public Scope enter() {
          MDC.put("observer.entered", attempt.job().id());
          return () -> MDC.remove("observer.entered");
        }

        @Override
        public void settled(AttemptResult result) {
          lines.add("settled " + attempt.job().name() + " #" + attempt.attempt() + " " + result.outcome());
          results.add(result);
        }
      };
    }

    @Override
    public void workerStarted(WorkerInfo info) {
      worker = info;
      lines.add("workerStarted");
    }

    @Override
    public void workerClosed(WorkerInfo info) {
      lines.add("workerClosed");
    }

    AttemptResult next() throws InterruptedException {
      AttemptResult r = results.poll(20, TimeUnit.SECONDS);
      if (r == null) {
        throw new AssertionError("no attempt settled; heard " + lines);
      }
      return r;
    }
  }

  @Test
  void anAddStoresTheObserversHeadersAsTelemetryMetadataAndTheWorkerHandsThemBack(RunningRedis redis)
      throws Exception {
    String name = RedisProbe.uniqueQueueName();
    RedisConfig config = RedisConfig.of(redis.uri());
    Recording observer = new Recording();
    BlockingQueue<String> mdc = new LinkedBlockingQueue<>();
    try (Queue queue = new Queue(name, QueueOptions.builder().redis(config).observer(observer).build())) {
      Job job = queue.add("email", Map.of("to", "ann"));
      assertEquals("{\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203330-01\"}",
          queue.getJob(job.id()).orElseThrow().options().telemetryMetadata().orElseThrow());
      // A job naming its own metadata, or omitting the context, keeps what it says.
      Job own = queue.add("own", null, JobOptions.builder().telemetryMetadata("{\"traceparent\":\"x\"}").build());
      Job omitted = queue.add("omitted", null, JobOptions.builder().omitContext(true).build());
      assertEquals("{\"traceparent\":\"x\"}", queue.getJob(own.id()).orElseThrow().options().telemetryMetadata()
          .orElseThrow());
      Job storedOmitted = queue.getJob(omitted.id()).orElseThrow();
      assertTrue(storedOmitted.options().omitContext());
      assertTrue(storedOmitted.options().telemetryMetadata().isEmpty(), storedOmitted.optionsJson());
      assertTrue(storedOmitted.optionsJson().contains("\"omc\":true"), storedOmitted.optionsJson());

      try (Worker worker = new Worker(name, j -> {
        mdc.add(MDC.get("bullpen.queue") + "|" + MDC.get("bullpen.jobId") + "|" + MDC.get("bullpen.jobName") + "|"
            + MDC.get("bullpen.attempt") + "|" + MDC.get("observer.entered"));
        return "ok";
      }, WorkerOptions.builder().redis(config).observer(observer).build())) {
        for (int i = 0; i < 3; i++) {
          assertEquals(io.bullpen.observe.AttemptOutcome.COMPLETED, observer.next().outcome());
        }
        assertEquals(name + "|" + job.id() + "|email|1|" + job.id(), mdc.poll(5, TimeUnit.SECONDS));
        JobAttempt first = observer.attempts.get(0);
        assertEquals(Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203330-01"),
            first.propagationHeaders());
        assertEquals(worker.id(), first.workerId());
        assertEquals(name, first.queueName());
        assertFalse(first.waitTime().isNegative());
        assertEquals(name, observer.worker.queueName());
        assertEquals(Map.of(), observer.attempts.get(2).propagationHeaders());
      }
      assertNullMdcOnThisThread();
      assertEquals(List.of("addStarting [email]", "added 1", "addStarting [own]", "added 1",
          "addStarting [omitted]", "added 1", "workerStarted"), observer.lines.subList(0, 7));
      assertEquals("workerClosed", observer.lines.get(observer.lines.size() - 1));
    }
  }

  @Test
  void aRetriedAttemptThenAFinalFailureAreSettledWithTheirOutcomesAndTimes(RunningRedis redis) throws Exception {
    String name = RedisProbe.uniqueQueueName();
    RedisConfig config = RedisConfig.of(redis.uri());
    Recording observer = new Recording();
    try (Queue queue = new Queue(name, QueueOptions.builder().redis(config).observer(observer).build());
         Worker worker = new Worker(name, j -> {
           Thread.sleep(30);
           throw new IllegalStateException("boom " + j.attemptsMade());
         }, WorkerOptions.builder().redis(config).observer(observer).build())) {
      queue.addBulk(List.of(JobSpec.of("flaky", null, JobOptions.builder().attempts(2).backoff(Backoff.fixed(10))
          .build())));
      AttemptResult retried = observer.next();
      assertEquals(io.bullpen.observe.AttemptOutcome.RETRIED, retried.outcome());
      assertEquals("boom 0", retried.error().getMessage());
      assertTrue(retried.processingTime().compareTo(Duration.ofMillis(25)) >= 0, retried.toString());
      AttemptResult failed = observer.next();
      assertEquals(io.bullpen.observe.AttemptOutcome.FAILED, failed.outcome());
      assertEquals("boom 1", failed.error().getMessage());
      awaitState(queue, () -> queue.getJobCounts(JobState.FAILED).get(JobState.FAILED) == 1);
      // The add's end may be heard after the worker took the job: that line is checked apart.
      assertTrue(observer.lines.contains("added 1"), observer.lines.toString());
      assertEquals(List.of("workerStarted", "addStarting [flaky]", "start flaky #1",
          "settled flaky #1 RETRIED", "start flaky #2", "settled flaky #2 FAILED"),
          observer.lines.stream().filter(l -> !l.equals("added 1")).toList());
    }
  }

  @Test
  void anObserverThatThrowsChangesNothing(RunningRedis redis) throws Exception {
    String name = RedisProbe.uniqueQueueName();
    RedisConfig config = RedisConfig.of(redis.uri());
    JobObserver throwing = new JobObserver() {
      @Override
      public AddObservation addStarting(String queueName, List<JobAdd> jobs) {
        throw new IllegalStateException("observer bug");
      }

      @Override
      public AttemptObservation attemptStarting(JobAttempt attempt) {
        throw new IllegalStateException("observer bug");
      }
    };
    Recording after = new Recording();
    try (Queue queue = new Queue(name, QueueOptions.builder().redis(config).observer(throwing).observer(after)
        .build());
         Worker worker = new Worker(name, j -> "ok",
             WorkerOptions.builder().redis(config).observer(throwing).observer(after).build())) {
      queue.add("a", null);
      assertEquals(io.bullpen.observe.AttemptOutcome.COMPLETED, after.next().outcome());
      awaitState(queue, () -> queue.getJobCounts(JobState.COMPLETED).get(JobState.COMPLETED) == 1);
    }
  }

  private static void assertNullMdcOnThisThread() {
    assertEquals(null, MDC.get("bullpen.jobId"));
  }

  private static void awaitState(Queue queue, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out; counts " + queue.getJobCounts());
      }
      Thread.sleep(20);
    }
  }
}
