package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.redis.Queue;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A producer writing to jobs it did not fetch: BullMQ's {@code queue.addJobLog} (under each {@code keepLogs}:
 * none, 0, 2, 10, and none on a job whose own {@code keepLogs} is 1) and {@code queue.updateJobProgress} (a
 * number, a string, a boolean, an object, an array) on one queue, Bullpen's {@code Queue.addJobLog} and
 * {@code Queue.updateJobProgress} on another, then the logs, job hashes, events and keys are compared. Both
 * refuse a missing job.
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProducerJobUpdatesInteropTest {
  private static final List<String> LINES = List.of("one", "two", "three", "four", "five");
  /** Log job name → keepLogs passed to addJobLog (null: not given; Bullpen passes 0, which means the same). */
  private static final Map<String, Integer> KEEP_LOGS = new LinkedHashMap<>();
  private static final List<String> PROGRESS = List.of("42", "\"half way\"", "true", "{\"pct\":50,\"stage\":\"b\"}",
      "[1,2]");
  private static final String MISSING = "missing-job";

  static {
    KEEP_LOGS.put("logs-unset", null);
    KEEP_LOGS.put("logs-zero", 0);
    KEEP_LOGS.put("logs-two", 2);
    KEEP_LOGS.put("logs-ten", 10);
    KEEP_LOGS.put("logs-own-kl", null);
  }

  private static final List<AddSpec> JOBS = List.of(
      AddSpec.of("logs-unset", "{}", "{}", JobOptions.defaults()),
      AddSpec.of("logs-zero", "{}", "{}", JobOptions.defaults()),
      AddSpec.of("logs-two", "{}", "{}", JobOptions.defaults()),
      AddSpec.of("logs-ten", "{}", "{}", JobOptions.defaults()),
      AddSpec.of("logs-own-kl", "{}", "{\"keepLogs\":1}", JobOptions.builder().keepLogs(1).build()),
      AddSpec.of("progress", "{}", "{}", JobOptions.defaults()));

  private final String suffix = UUID.randomUUID().toString();
  private final QueueKeys nodeKeys = new QueueKeys("bull", QueueNames.tagged("updates-node-" + suffix));
  private final QueueKeys javaKeys = new QueueKeys("bull", QueueNames.tagged("updates-java-" + suffix));
  private final Map<String, List<Long>> nodeCounts = new LinkedHashMap<>();
  private final Map<String, List<Long>> javaCounts = new LinkedHashMap<>();
  private final List<String> nodeMissing = new ArrayList<>();
  private final List<String> javaMissing = new ArrayList<>();
  private Map<String, String> ids;
  private RedisInspector inspector;

  @BeforeAll
  void updateOnBothSides(RunningRedis redis) {
    if (!NodeSide.available()) {
      return; // each test is then skipped by requireNode(), with the reason
    }
    inspector = new RedisInspector(redis);
    try (JavaSide java = new JavaSide(redis, "bull", javaKeys.queueName())) {
      ids = java.addAll(JOBS);
      Queue queue = java.queue();
      KEEP_LOGS.forEach((name, keep) -> {
        List<Long> counts = javaCounts.computeIfAbsent(name, n -> new ArrayList<>());
        LINES.forEach(line -> counts.add(queue.addJobLog(ids.get(name), line, keep == null ? 0 : keep)));
      });
      PROGRESS.forEach(p -> queue.updateJobProgress(ids.get("progress"), Json.tree(p, "progress")));
      try {
        queue.addJobLog(MISSING, "line", 0);
      } catch (JobNotFoundException e) {
        javaMissing.add("addJobLog");
      }
      try {
        queue.updateJobProgress(MISSING, 1);
      } catch (JobNotFoundException e) {
        javaMissing.add("updateJobProgress");
      }
    }

    NodeSteps steps = new NodeSteps();
    int added = steps.add(nodeKeys.queueName(), JOBS);
    Map<Integer, String> logSteps = new LinkedHashMap<>();
    KEEP_LOGS.forEach((name, keep) -> LINES.forEach(
        line -> logSteps.put(steps.addJobLog(nodeKeys.queueName(), ids.get(name), line, keep), name)));
    PROGRESS.forEach(p -> steps.updateJobProgress(nodeKeys.queueName(), ids.get("progress"), p));
    int missingLog = steps.addJobLog(nodeKeys.queueName(), MISSING, "line", null);
    int missingProgress = steps.updateJobProgress(nodeKeys.queueName(), MISSING, "1");
    NodeFacts facts = new NodeSide(redis, "bull").run(steps);
    List<String> nodeIds = facts.ofStep(added).stream().map(f -> f.path("id").asText()).toList();
    assertEquals(List.copyOf(ids.values()), nodeIds, "both sides numbered the jobs alike");
    logSteps.forEach((step, name) -> nodeCounts.computeIfAbsent(name, n -> new ArrayList<>())
        .add(facts.ofStep(step).get(0).path("count").asLong()));
    for (int step : List.of(missingLog, missingProgress)) {
      JsonNode fact = facts.ofStep(step).get(0);
      if (fact.path("type").asText().equals("rejected")) {
        nodeMissing.add(step == missingLog ? "addJobLog" : "updateJobProgress");
      }
    }
    List<JsonNode> unexpected = new ArrayList<>(facts.ofType("rejected"));
    unexpected.removeIf(f -> f.path("step").asInt() == missingLog || f.path("step").asInt() == missingProgress);
    assertEquals(List.of(), unexpected, "BullMQ refused a step");
  }

  @BeforeEach
  void requireNode() {
    NodeSide.assumeAvailable();
  }

  @AfterAll
  void close() {
    if (inspector != null) {
      inspector.close();
    }
  }

  @Test
  void addJobLogLeavesTheSameLogsAsBullmqUnderEveryKeepLogs() {
    Map<String, List<String>> node = new LinkedHashMap<>();
    Map<String, List<String>> java = new LinkedHashMap<>();
    KEEP_LOGS.keySet().forEach(name -> {
      node.put(name, inspector.list(nodeKeys.logsKey(ids.get(name))));
      java.put(name, inspector.list(javaKeys.logsKey(ids.get(name))));
    });
    assertEquals(LINES, node.get("logs-zero"), "BullMQ's own result: keepLogs 0 keeps every line");
    assertEquals(LINES, node.get("logs-own-kl"), "BullMQ's own result: the job's keepLogs is not applied");
    assertEquals(node, java);
  }

  @Test
  void addJobLogAnswersTheSameCountsAsBullmq() {
    assertEquals(nodeCounts, javaCounts);
  }

  @Test
  void updateJobProgressLeavesTheSameJobHashAndEventsAsBullmq() {
    String id = ids.get("progress");
    assertEquals(List.of(), WireDiff.hashes("job " + id, inspector.jobHash(nodeKeys, id),
        inspector.jobHash(javaKeys, id), Set.of("timestamp")));
    List<Map<String, String>> node = progressEvents(nodeKeys);
    List<Map<String, String>> java = progressEvents(javaKeys);
    assertEquals(PROGRESS.size(), node.size(), "BullMQ's own result: one progress event per update " + node);
    List<String> diffs = new ArrayList<>();
    for (int i = 0; i < Math.min(node.size(), java.size()); i++) {
      diffs.addAll(WireDiff.events("progress event " + i, node.get(i), java.get(i)));
    }
    assertEquals(node.size(), java.size(), "progress events: BullMQ " + node + " vs Bullpen " + java);
    assertEquals(List.of(), diffs);
  }

  @Test
  void everyJobHashAndKeyMatchesBullmqAfterTheUpdates() {
    List<String> diffs = new ArrayList<>();
    for (String id : ids.values()) {
      diffs.addAll(WireDiff.hashes("job " + id, inspector.jobHash(nodeKeys, id), inspector.jobHash(javaKeys, id),
          Set.of("timestamp")));
    }
    assertEquals(List.of(), diffs);
    assertEquals(inspector.queueKeys(nodeKeys), inspector.queueKeys(javaKeys));
  }

  @Test
  void bothRefuseToUpdateAMissingJobAndCreateNothing() {
    assertEquals(List.of("addJobLog", "updateJobProgress"), nodeMissing, "BullMQ's own result");
    assertEquals(nodeMissing, javaMissing);
    for (QueueKeys keys : List.of(nodeKeys, javaKeys)) {
      assertTrue(!inspector.exists(keys.jobKey(MISSING)) && !inspector.exists(keys.logsKey(MISSING)),
          keys.queueName() + " has keys of the missing job");
    }
  }

  private List<Map<String, String>> progressEvents(QueueKeys keys) {
    List<Map<String, String>> events = new ArrayList<>();
    inspector.stream(keys.events()).forEach(e -> {
      if ("progress".equals(e.getBody().get("event"))) {
        events.add(new LinkedHashMap<>(e.getBody()));
      }
    });
    return events;
  }
}
