package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.Job;
import io.bullpen.JobFailedException;
import io.bullpen.event.QueueEvent;
import io.bullpen.redis.QueueEvents;
import io.bullpen.redis.QueueEventsOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bullpen adds the {@link InteropJob#standardSet() standard jobs} under a non-default prefix; BullMQ's Worker
 * (Node) processes them while a Bullpen QueueEvents listens live; then both sides' getters read the outcome. The
 * scenario runs once, before the tests.
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaProducerNodeWorkerInteropTest {
  private static final List<InteropJob> JOBS = InteropJob.standardSet();
  private static final String PREFIX = "bpx";

  private final String queueName = QueueNames.unique("interop-j2n");
  private final List<QueueEvent> received = new CopyOnWriteArrayList<>();
  private final Map<String, CompletableFuture<String>> finishes = new LinkedHashMap<>();
  private final Map<String, Job> addedJobs = new LinkedHashMap<>();
  private Map<String, String> ids;
  private JavaSide java;
  private QueueEvents events;
  private NodeFacts nodeWorker;
  private NodeFacts nodeRead;
  private List<String> waitingDiffs;

  @BeforeAll
  void runScenario(RunningRedis redis) {
    if (!NodeSide.available()) {
      return; // each test is then skipped by requireNode(), with the reason
    }
    NodeSide node = new NodeSide(redis, PREFIX);
    java = new JavaSide(redis, PREFIX, queueName);
    events = new QueueEvents(queueName,
        QueueEventsOptions.builder().redis(RedisConfig.of(redis.uri())).prefix(PREFIX).build());
    events.onAny(received::add);

    ids = java.addAll(JOBS);
    for (String id : ids.values()) {
      addedJobs.put(id, java.queue().getJob(id).orElseThrow());
    }
    waitingDiffs = JobViews.differences(java.queue(), ids.values(), node.read(queueName, ids.values()));
    for (String name : List.of("retried", "failing", "unrecoverable")) {
      finishes.put(name, events.waitUntilFinished(ids.get(name), Duration.ofSeconds(30)));
    }
    nodeWorker = node.work(queueName, JOBS.size());
    Polling.until(Duration.ofSeconds(10), () -> finishedEvents() >= JOBS.size() && endsDrained(),
        () -> "Java QueueEvents received " + received);
    nodeRead = node.read(queueName, ids.values());
  }

  @BeforeEach
  void requireNode() {
    NodeSide.assumeAvailable();
  }

  @AfterAll
  void close() {
    if (events != null) {
      events.close();
    }
    if (java != null) {
      java.close();
    }
  }

  @Test
  void nodeWorkerStartsJavaJobsInBullmqOrder() {
    List<String> firstAttempts = nodeWorker.ofType("process").stream()
        .filter(p -> p.path("attemptsStarted").asInt() == 1 && !p.path("name").asText().equals("delayed"))
        .map(p -> p.path("name").asText())
        .toList();
    assertEquals(InteropJob.FIRST_ATTEMPT_ORDER, firstAttempts);
  }

  @Test
  void nodeWorkerRunsDelayedJavaJobOnlyOnceDue() {
    List<JsonNode> calls = processCalls("delayed");
    assertEquals(1, calls.size(), calls::toString);
    long startedAfter = calls.get(0).path("processedOn").asLong() - calls.get(0).path("timestamp").asLong();
    assertTrue(startedAfter >= 400, "started " + startedAfter + " ms after it was added");
  }

  @Test
  void nodeWorkerRetriesJavaJobsAsTheirAttemptsAndBackoffSay() {
    for (InteropJob job : JOBS) {
      List<JsonNode> calls = processCalls(job.name());
      assertEquals(job.expectedAttempts(), calls.size(), job.name() + ": " + calls);
      for (int i = 0; i < calls.size(); i++) {
        assertEquals(i + 1, calls.get(i).path("attemptsStarted").asInt(), job.name() + " call " + i);
        assertEquals(i, calls.get(i).path("attemptsMade").asInt(), job.name() + " call " + i);
      }
    }
    assertBackoff("retried", 150, 150);
    assertBackoff("exp-retried", 100);
    List<Boolean> finalFlags = nodeWorker.ofType("failed").stream()
        .filter(f -> f.path("id").asText().equals(ids.get("failing")))
        .map(f -> f.path("final").asBoolean()).toList();
    assertEquals(List.of(false, true), finalFlags, "the first failure of 'failing' is retried, the second is final");
  }

  @Test
  void nodeWorkerDecodesJavaJobsAsNodeWouldHaveAddedThem() {
    for (InteropJob job : JOBS) {
      JsonNode first = processCalls(job.name()).get(0);
      Job added = addedJobs.get(ids.get(job.name()));
      String what = job.name() + ": " + first;
      assertEquals(ids.get(job.name()), first.path("id").asText(), what);
      assertEquals(job.data(), first.path("data"), what);
      assertEquals(job.nodeViewOfOpts(), first.path("opts"), what);
      assertEquals(added.timestamp(), first.path("timestamp").asLong(), what);
      assertEquals(job.javaOptions().priority(), first.path("priority").asInt(), what);
    }
    assertEquals("order-42", ids.get("custom"));
  }

  @Test
  void nodeGettersReadNodeOutcomesOfJavaJobs() {
    FinalOutcomes.assertReadByBullmq(JOBS, ids, nodeRead);
  }

  @Test
  void javaQueueEventsSeeNodeWorkerEventsInBullmqOrder() {
    for (InteropJob job : JOBS) {
      List<String> names = received.stream()
          .filter(e -> e.jobId().equals(Optional.of(ids.get(job.name()))))
          .map(QueueEvent::name).toList();
      assertEquals(job.expectedEvents(), names, job.name());
    }
    assertInstanceOf(QueueEvent.Drained.class, received.get(received.size() - 1));
  }

  @Test
  void javaQueueEventsDecodeNodeWorkerEventFields() {
    for (InteropJob job : JOBS) {
      String id = ids.get(job.name());
      for (QueueEvent.Active active : eventsOf(QueueEvent.Active.class, id)) {
        assertEquals("waiting", active.prev(), active::toString);
      }
      if (job.completes()) {
        List<QueueEvent.Completed> completed = eventsOf(QueueEvent.Completed.class, id);
        assertEquals(1, completed.size(), job.name() + ": " + completed);
        assertEquals(job.expectedResult(), Json.tree(completed.get(0).returnValueJson(), "returnvalue"));
        assertEquals("active", completed.get(0).prev());
      } else {
        List<QueueEvent.Failed> failed = eventsOf(QueueEvent.Failed.class, id);
        assertEquals(1, failed.size(), job.name() + ": " + failed);
        assertEquals(job.expectedFailedReason().orElseThrow(), failed.get(0).failedReason());
        assertEquals("active", failed.get(0).prev());
      }
    }
    List<QueueEvent.RetriesExhausted> exhausted = eventsOf(QueueEvent.RetriesExhausted.class, null);
    assertEquals(1, exhausted.size(), exhausted::toString);
    assertEquals(ids.get("failing"), exhausted.get(0).job());
    assertEquals(2, exhausted.get(0).attemptsMade());

    List<JsonNode> progress = eventsOf(QueueEvent.Progress.class, ids.get("retried")).stream()
        .map(p -> Json.tree(p.dataJson(), "progress")).toList();
    List<JsonNode> expected = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      expected.add(Json.tree("25", "progress"));
      expected.add(Json.tree("{\"stage\":\"half\"}", "progress"));
    }
    assertEquals(expected, progress);

    // The delayed event of the delayed job carries its due time: added + 400 ms.
    List<QueueEvent.Delayed> delayed = eventsOf(QueueEvent.Delayed.class, ids.get("delayed"));
    assertEquals(1, delayed.size(), delayed::toString);
    long timestamp = addedJobs.get(ids.get("delayed")).timestamp();
    assertEquals(timestamp + 400, delayed.get(0).delay());
    // Retries' delayed events carry due times the next attempt does not start before.
    List<QueueEvent.Delayed> retryDelays = eventsOf(QueueEvent.Delayed.class, ids.get("retried"));
    List<JsonNode> calls = processCalls("retried");
    assertEquals(2, retryDelays.size(), retryDelays::toString);
    for (int i = 0; i < retryDelays.size(); i++) {
      assertTrue(calls.get(i + 1).path("processedOn").asLong() >= retryDelays.get(i).delay(), "retry " + i);
    }
    List<String> waitingPrevs = eventsOf(QueueEvent.Waiting.class, ids.get("retried")).stream()
        .map(w -> w.prev().orElse("")).toList();
    assertEquals(List.of("", "delayed", "delayed"), waitingPrevs);
  }

  @Test
  void javaWaitUntilFinishedSettlesForJobsNodeProcessed() throws Exception {
    String result = finishes.get("retried").get(5, TimeUnit.SECONDS);
    assertEquals(InteropJob.named("retried").expectedResult(), Json.tree(result, "returnvalue"));
    for (String name : List.of("failing", "unrecoverable")) {
      ExecutionException thrown = assertThrows(ExecutionException.class,
          () -> finishes.get(name).get(5, TimeUnit.SECONDS));
      JobFailedException failure = assertInstanceOf(JobFailedException.class, thrown.getCause());
      assertEquals(ids.get(name), failure.jobId());
      assertEquals(InteropJob.named(name).expectedFailedReason().orElseThrow(), failure.failedReason());
    }
  }

  @Test
  void javaAndNodeGettersAgreeOnWaitingJobs() {
    assertEquals(List.of(), waitingDiffs);
  }

  @Test
  void javaAndNodeGettersAgreeOnFinishedJobs() {
    assertEquals(List.of(), JobViews.differences(java.queue(), ids.values(), nodeRead));
  }


  private List<JsonNode> processCalls(String name) {
    return nodeWorker.ofType("process").stream().filter(p -> p.path("name").asText().equals(name)).toList();
  }

  /** Events of one type, for one job (or all jobs when {@code jobId} is null), in stream order. */
  private <E extends QueueEvent> List<E> eventsOf(Class<E> type, String jobId) {
    return received.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(e -> jobId == null || e.jobId().orElse("").equals(jobId))
        .toList();
  }

  private long finishedEvents() {
    return received.stream()
        .filter(e -> e instanceof QueueEvent.Completed || e instanceof QueueEvent.Failed)
        .count();
  }

  private boolean endsDrained() {
    return !received.isEmpty() && received.get(received.size() - 1) instanceof QueueEvent.Drained;
  }

  private void assertBackoff(String name, long... minimumGaps) {
    List<JsonNode> calls = processCalls(name);
    for (int i = 0; i < minimumGaps.length; i++) {
      long gap = calls.get(i + 1).path("processedOn").asLong() - calls.get(i).path("processedOn").asLong();
      assertTrue(gap >= minimumGaps[i], name + " retry " + (i + 1) + " started " + gap + " ms after the attempt before");
    }
  }
}
