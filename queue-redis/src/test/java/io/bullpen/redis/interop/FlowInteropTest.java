package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.bullpen.JobState;
import io.bullpen.FlowNode;
import io.bullpen.redis.FlowProducer;
import io.bullpen.redis.FlowProducerOptions;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Flows between Bullpen and the real {@code bullmq@6.7.0}. The same trees ({@link FlowSpec#scenario}: a
 * three-level book across two queues, and one tree per child failure policy) go through four runs, each under its
 * own prefix with the same queue names and ids: BullMQ only (the reference), BullMQ's FlowProducer with Bullpen
 * workers, Bullpen's FlowProducer with BullMQ workers, and Bullpen only. What the producers wrote and where every
 * job ended are compared with plain Redis reads. The runs happen once, before the tests.
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlowInteropTest {
  private static final String QA = "fa";
  private static final String QB = "fb";
  private static final List<String> QUEUES = List.of(QA, QB);
  private static final Duration IDLE = Duration.ofMillis(400);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<FlowSpec> trees = FlowSpec.scenario(QA, QB);
  private final Map<String, FlowSnapshot> added = new LinkedHashMap<>();
  private final Map<String, FlowSnapshot> finished = new LinkedHashMap<>();
  private RunningRedis redis;

  @BeforeAll
  void runScenarios(RunningRedis redis) {
    this.redis = redis;
    if (!NodeSide.available()) {
      return; // each test is then skipped by requireNode(), with the reason
    }
    ArrayNode nodeTrees = Json.MAPPER.createArrayNode();
    trees.forEach(t -> nodeTrees.add(t.toNode()));

    String bullmqOnly = QueueNames.tagged("fn" + run); // a prefix with a hash tag: one slot for the flow's queues
    addWithNode(bullmqOnly, nodeTrees);
    new NodeSide(redis, bullmqOnly).workFlows(QUEUES);
    finished.put("bullmq", snapshot(bullmqOnly).outcome());

    String nodeToJava = QueueNames.tagged("fnj" + run);
    addWithNode(nodeToJava, nodeTrees);
    workWithJava(nodeToJava);
    finished.put("node producer, java workers", snapshot(nodeToJava).outcome());

    String javaToNode = QueueNames.tagged("fjn" + run);
    addWithJava(javaToNode);
    new NodeSide(redis, javaToNode).workFlows(QUEUES);
    finished.put("java producer, node workers", snapshot(javaToNode).outcome());

    String javaOnly = QueueNames.tagged("fj" + run);
    addWithJava(javaOnly);
    workWithJava(javaOnly);
    finished.put("bullpen", snapshot(javaOnly).outcome());
  }

  @BeforeEach
  void requireNode() {
    NodeSide.assumeAvailable();
  }

  private FlowSnapshot snapshot(String prefix) {
    return FlowSnapshot.read(redis, prefix, QUEUES);
  }

  private void addWithNode(String prefix, ArrayNode nodeTrees) {
    NodeFacts facts = new NodeSide(redis, prefix).addFlows(nodeTrees);
    assertEquals(trees.size(), facts.ofType("added").size(), facts::toString);
    added.putIfAbsent("node", snapshot(prefix));
  }

  private void addWithJava(String prefix) {
    List<FlowNode> javaTrees = trees.stream().map(FlowSpec::toJava).toList();
    try (FlowProducer producer = new FlowProducer(FlowProducerOptions.builder().redis(RedisConfig.of(redis.uri()))
        .prefix(prefix).build())) {
      producer.addBulk(javaTrees);
    }
    added.putIfAbsent("java", snapshot(prefix));
  }

  /** Bullpen workers (concurrency 16) on both queues until both have been idle for {@link #IDLE}. */
  private void workWithJava(String prefix) {
    RedisConfig config = RedisConfig.of(redis.uri());
    Map<String, Queue> queues = new HashMap<>();
    List<Worker> workers = new ArrayList<>();
    try {
      for (String name : QUEUES) {
        queues.put(name, new Queue(name, QueueOptions.builder().redis(config).prefix(prefix).build()));
      }
      FlowScript script = new FlowScript(queues::get);
      for (String name : QUEUES) {
        workers.add(new Worker(name, script, WorkerOptions.builder().redis(config).prefix(prefix).concurrency(16)
            .build()));
      }
      long idleSince = -1;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (idleSince < 0 || System.nanoTime() - idleSince < IDLE.toNanos()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("Java workers never went idle: " + snapshot(prefix).states());
        }
        sleep(50);
        boolean busy = queues.values().stream().anyMatch(q -> q.getJobCounts(JobState.WAITING, JobState.ACTIVE,
            JobState.DELAYED, JobState.PRIORITIZED).values().stream().mapToLong(Long::longValue).sum() > 0);
        idleSince = busy ? -1 : (idleSince < 0 ? System.nanoTime() : idleSince);
      }
    } finally {
      workers.forEach(Worker::close);
      queues.values().forEach(Queue::close);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String key(String queue, String id) {
    return "P:" + queue + ":" + id;
  }

  @Test
  void bullpensFlowProducerWritesWhatBullmqsWrites() {
    List<String> diffs = added.get("node").differences(added.get("java"));
    assertTrue(diffs.isEmpty(), () -> "BullMQ's FlowProducer <> Bullpen's:\n" + String.join("\n", diffs));
  }

  @Test
  void everyRunEndsExactlyAsBullmqAlone() {
    FlowSnapshot reference = finished.get("bullmq");
    for (Map.Entry<String, FlowSnapshot> e : finished.entrySet()) {
      List<String> diffs = reference.differences(e.getValue());
      assertTrue(diffs.isEmpty(), () -> "bullmq <> " + e.getKey() + ":\n" + String.join("\n", diffs));
    }
  }

  @Test
  void theBookSeesTheSameChildrenValuesWhoeverProducedOrProcessedIt() throws Exception {
    JsonNode expected = Json.MAPPER.readTree("""
        {"values": {
           "P:fb:part-1": {"values": {"P:fa:page-a": "A", "P:fa:<uuid>": "B"}, "ignored": {}},
           "P:fb:part-2": {"values": {"P:fa:page-c": "C"}, "ignored": {}},
           "P:fb:cover": {"art": true, "pages": 3}},
         "ignored": {}}""");
    for (Map.Entry<String, FlowSnapshot> e : finished.entrySet()) {
      assertEquals(expected, e.getValue().field(key(QA, "book"), "returnvalue"), e.getKey());
      assertEquals("completed", e.getValue().states().get(key(QA, "book")), e.getKey());
    }
  }

  @Test
  void anExistingJobNamedInATreeIsAdoptedAndTheDelayedParentRunsAfterIt() throws Exception {
    FlowSnapshot javaAdded = added.get("java");
    assertEquals("P:fb:adopter", javaAdded.field(key(QA, "shared"), "parentKey"));
    assertEquals("solo", ((JsonNode) javaAdded.field(key(QA, "shared"), "data")).path("result").asText(),
        "the existing job is kept");
    JsonNode expected = Json.MAPPER.readTree(
        "{\"values\": {\"P:fa:shared\": \"solo\", \"P:fa:fresh\": \"F\"}, \"ignored\": {}}");
    for (Map.Entry<String, FlowSnapshot> e : finished.entrySet()) {
      assertEquals(expected, e.getValue().field(key(QB, "adopter"), "returnvalue"), e.getKey());
    }
  }

  @Test
  void eachFailurePolicyEndsInTheSameStatesOnBothSides() {
    Map<String, Map<String, String>> expected = Map.of(
        "fpof", Map.of("gp", "failed", "p", "failed", "bad", "failed", "slow", "completed"),
        "cpof", Map.of("gp", "failed", "p", "failed", "bad", "failed", "slow", "completed"),
        "idof", Map.of("gp", "completed", "p", "completed", "bad", "failed", "slow", "completed"),
        "rdof", Map.of("gp", "completed", "p", "completed", "bad", "failed", "slow", "completed"),
        "none", Map.of("gp", "waiting-children", "p", "waiting-children", "bad", "failed", "slow", "completed"));
    for (Map.Entry<String, FlowSnapshot> run : finished.entrySet()) {
      Map<String, String> states = run.getValue().states();
      for (String policy : FlowSpec.POLICIES) {
        String x = FlowSpec.shortName(policy);
        Map<String, String> actual = new HashMap<>();
        for (String role : List.of("gp", "p", "bad", "slow")) {
          actual.put(role, states.get(key(role.equals("p") ? QB : QA, role + "-" + x)));
        }
        assertEquals(expected.get(x), actual, run.getKey() + ", " + policy);
      }
    }
    FlowSnapshot reference = finished.get("bullmq");
    assertEquals("child P:fa:bad-fpof failed", reference.field(key(QB, "p-fpof"), "failedReason"));
    assertEquals("child P:fb:p-fpof failed", reference.field(key(QA, "gp-fpof"), "failedReason"));
    assertEquals("Job p-cpof has pending dependencies. moveToFinished",
        reference.field(key(QB, "p-cpof"), "failedReason"));
  }
}
