package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * BullMQ (Node) adds the {@link InteropJob#standardSet() standard jobs}; a Bullpen worker processes them; BullMQ's
 * QueueEvents and getters then read what the Java worker left behind. The scenario runs once, before the tests,
 * which each check one aspect of it.
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeProducerJavaWorkerInteropTest {
  private static final List<InteropJob> JOBS = InteropJob.standardSet();

  private final String queueName = QueueNames.unique("interop-n2j");
  private final Map<String, String> ids = new LinkedHashMap<>();
  private JavaSide java;
  private ScriptedProcessor processor;
  private NodeFacts nodeEvents;
  private NodeFacts nodeReadWaiting;
  private NodeFacts nodeRead;
  private List<String> waitingDiffs;

  @BeforeAll
  void runScenario(RunningRedis redis) {
    if (!NodeSide.available()) {
      return; // each test is then skipped by requireNode(), with the reason
    }
    NodeSide node = new NodeSide(redis, "bull");
    NodeFacts added = node.produce(queueName, JOBS);
    assertTrue(added.ofType("rejected").isEmpty(), added::toString);
    for (JsonNode fact : added.ofType("added")) {
      ids.put(JOBS.get(fact.path("index").asInt()).name(), fact.path("id").asText());
    }
    assertEquals(JOBS.size(), ids.size(), added::toString);

    java = new JavaSide(redis, "bull", queueName);
    nodeReadWaiting = node.read(queueName, ids.values());
    waitingDiffs = JobViews.differences(java.queue(), ids.values(), nodeReadWaiting);
    processor = java.work(InteropJob.expectedFinishedCount(JOBS), Duration.ofSeconds(30));
    nodeEvents = node.listen(queueName, JOBS.size());
    nodeRead = node.read(queueName, ids.values());
  }

  @BeforeEach
  void requireNode() {
    NodeSide.assumeAvailable();
  }

  @AfterAll
  void closeQueue() {
    if (java != null) {
      java.close();
    }
  }

  @Test
  void javaWorkerStartsNodeJobsInBullmqOrder() {
    List<String> firstAttempts = processor.calls().stream()
        .filter(c -> c.attemptsStarted() == 1 && !c.name().equals("delayed"))
        .map(ScriptedProcessor.Call::name)
        .toList();
    assertEquals(InteropJob.FIRST_ATTEMPT_ORDER, firstAttempts);
  }

  @Test
  void javaWorkerRunsDelayedNodeJobOnlyOnceDue() {
    List<ScriptedProcessor.Call> calls = processor.callsFor("delayed");
    assertEquals(1, calls.size(), calls::toString);
    ScriptedProcessor.Call call = calls.get(0);
    assertEquals(400, call.options().delay());
    long startedAfter = call.processedOn().orElseThrow() - call.timestamp();
    assertTrue(startedAfter >= 400, "started " + startedAfter + " ms after it was added");
  }

  @Test
  void javaWorkerRetriesNodeJobsAsTheirAttemptsAndBackoffSay() {
    for (InteropJob job : JOBS) {
      List<ScriptedProcessor.Call> calls = processor.callsFor(job.name());
      assertEquals(job.expectedAttempts(), calls.size(), job.name() + ": " + calls);
      for (int i = 0; i < calls.size(); i++) {
        assertEquals(i + 1, calls.get(i).attemptsStarted(), job.name() + " attemptsStarted of call " + i);
        assertEquals(i, calls.get(i).attemptsMade(), job.name() + " attemptsMade of call " + i);
      }
    }
    assertBackoff("retried", 150, 150);
    assertBackoff("exp-retried", 100);
  }

  @Test
  void javaWorkerDecodesNodeJobsAsAdded() {
    for (InteropJob job : JOBS) {
      ScriptedProcessor.Call first = processor.callsFor(job.name()).get(0);
      JsonNode stored = nodeReadWaiting.job(ids.get(job.name()));
      assertEquals(ids.get(job.name()), first.id());
      assertEquals(job.data(), Json.tree(first.dataJson(), "data"), job.name() + " data");
      assertEquals(job.javaViewOfOpts(), first.options(), job.name() + " options");
      assertEquals(stored.path("timestamp").asLong(), first.timestamp(), job.name() + " timestamp");
      assertEquals(job.javaOptions().priority(), first.priority(), job.name() + " priority");
    }
    assertEquals("order-42", ids.get("custom"));
  }

  @Test
  void nodeGettersReadJavaOutcomes() {
    FinalOutcomes.assertReadByBullmq(JOBS, ids, nodeRead);
  }

  @Test
  void nodeQueueEventsSeeJavaWorkerEventsInBullmqOrder() {
    for (InteropJob job : JOBS) {
      List<String> names = nodeEvents.eventsFor(ids.get(job.name())).stream()
          .map(e -> e.path("event").asText()).toList();
      assertEquals(job.expectedEvents(), names, job.name());
    }
    JsonNode last = nodeEvents.ofType("event").get(nodeEvents.ofType("event").size() - 1);
    assertEquals("drained", last.path("event").asText(), "the last event: " + last);
  }

  @Test
  void nodeQueueEventsDecodeJavaWorkerEventFields() {
    for (InteropJob job : JOBS) {
      String id = ids.get(job.name());
      for (JsonNode active : nodeEvents.events("active", id)) {
        assertEquals("waiting", active.path("prev").asText(), active::toString);
      }
      List<JsonNode> finished = nodeEvents.events(job.expectedFinalState(), id);
      assertEquals(1, finished.size(), job.name() + " " + job.expectedFinalState() + " events: " + finished);
      if (job.completes()) {
        JsonNode completed = finished.get(0);
        assertEquals(job.expectedResult(), completed.path("returnvalue"), completed::toString);
        assertEquals("active", completed.path("prev").asText(), completed::toString);
      } else {
        JsonNode failed = finished.get(0);
        assertEquals(job.expectedFailedReason().orElseThrow(), failed.path("failedReason").asText(), failed::toString);
        assertEquals("active", failed.path("prev").asText(), failed::toString);
      }
    }
    List<JsonNode> exhausted = nodeEvents.events("retries-exhausted");
    assertEquals(1, exhausted.size(), exhausted::toString);
    assertEquals(ids.get("failing"), exhausted.get(0).path("jobId").asText());
    assertEquals("2", exhausted.get(0).path("attemptsMade").asText());

    List<JsonNode> progress = nodeEvents.events("progress", ids.get("retried"));
    List<JsonNode> expected = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      expected.add(Json.tree("25", "progress"));
      expected.add(Json.tree("{\"stage\":\"half\"}", "progress"));
    }
    assertEquals(expected, progress.stream().map(p -> p.path("data")).toList());

    // A retry's delayed event carries the due time; the retry must not start before it.
    List<JsonNode> retryDelays = nodeEvents.events("delayed", ids.get("retried"));
    List<ScriptedProcessor.Call> calls = processor.callsFor("retried");
    for (int i = 0; i < retryDelays.size(); i++) {
      long due = retryDelays.get(i).path("delay").asLong();
      assertTrue(calls.get(i + 1).processedOn().orElseThrow() >= due, "attempt " + (i + 2) + " before due " + due);
    }
    // Without backoff the retry goes straight back to wait: added without prev, then prev active.
    List<String> prevs = nodeEvents.events("waiting", ids.get("failing")).stream()
        .map(w -> w.path("prev").asText("")).toList();
    assertEquals(List.of("", "active"), prevs);
  }

  @Test
  void javaAndNodeGettersAgreeOnWaitingJobs() {
    assertEquals(List.of(), waitingDiffs);
  }

  @Test
  void javaAndNodeGettersAgreeOnFinishedJobs() {
    assertEquals(List.of(), JobViews.differences(java.queue(), ids.values(), nodeRead));
  }


  /** Each retry of {@code name} started at least the given backoff after the previous attempt started. */
  private void assertBackoff(String name, long... minimumGaps) {
    List<ScriptedProcessor.Call> calls = processor.callsFor(name);
    for (int i = 0; i < minimumGaps.length; i++) {
      long gap = calls.get(i + 1).processedOn().orElseThrow() - calls.get(i).processedOn().orElseThrow();
      assertTrue(gap >= minimumGaps[i], name + " retry " + (i + 1) + " started " + gap + " ms after the attempt before");
    }
  }
}
