package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.Backoff;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.KeepJobs;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * Less common add options, duplicate custom ids and custom-id validation: BullMQ adds on one queue, Bullpen on
 * another, and the raw results are compared (adds only, nothing is processed).
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeOptionsInteropTest {
  private static final long FIXED_TIMESTAMP = 1_700_000_000_000L;

  /** Added in this order on each side; "second-dup" reuses the custom id of "first-dup". */
  private static final List<AddSpec> JOBS = List.of(
      AddSpec.of("own-timestamp", "{}", "{\"timestamp\":" + FIXED_TIMESTAMP + "}",
          JobOptions.builder().timestamp(FIXED_TIMESTAMP).build()),
      AddSpec.of("backoff-number", "{}", "{\"attempts\":2,\"backoff\":500}",
          JobOptions.builder().attempts(2).backoff(500).build()),
      AddSpec.of("priority-and-lifo", "{}", "{\"priority\":3,\"lifo\":true}",
          JobOptions.builder().priority(3).lifo(true).build()),
      AddSpec.of("delayed-priority", "{}", "{\"delay\":60000,\"priority\":2}",
          JobOptions.builder().delay(60_000).priority(2).build()),
      AddSpec.of("jitter", "{}", "{\"attempts\":4,\"backoff\":{\"type\":\"exponential\",\"delay\":1000,\"jitter\":0.5}}",
          JobOptions.builder().attempts(4).backoff(Backoff.exponential(1000).withJitter(0.5)).build()),
      AddSpec.of("keep-forms", "{}", "{\"removeOnComplete\":{\"age\":60},\"removeOnFail\":false}",
          JobOptions.builder().removeOnComplete(KeepJobs.maxAge(60, -1)).removeOnFail(false).build()),
      AddSpec.of("limits", "{}", "{\"stackTraceLimit\":3,\"sizeLimit\":1000,\"attempts\":1}",
          JobOptions.builder().stackTraceLimit(3).sizeLimit(1000).attempts(1).build()),
      AddSpec.of("first-dup", "{\"v\":1}", "{\"jobId\":\"dup-1\"}", JobOptions.builder().jobId("dup-1").build()),
      AddSpec.of("second-dup", "{\"v\":2}", "{\"jobId\":\"dup-1\"}", JobOptions.builder().jobId("dup-1").build()),
      AddSpec.of("slash-id", "{\"path\":\"a/b\"}", "{\"jobId\":\"a/b\"}", JobOptions.builder().jobId("a/b").build()),
      AddSpec.of("two-colon-id", "{}", "{\"jobId\":\"x:y:z\"}", JobOptions.builder().jobId("x:y:z").build()));

  /** Options set explicitly to their defaults; BullMQ stores them as given. */
  private static final AddSpec EXPLICIT_DEFAULTS = AddSpec.of("explicit-defaults", "{}",
      "{\"delay\":0,\"priority\":0,\"lifo\":false}", JobOptions.builder().delay(0).priority(0).lifo(false).build());

  /** Custom ids BullMQ accepts or refuses client-side (integers, '0', a '0:' start, one colon). */
  private static final List<String> CANDIDATE_IDS = List.of("123", "-5", "0", "0:a:b", "a:b", "x:y:z", "1e3", "+5",
      "007", "-0");

  private final String suffix = UUID.randomUUID().toString();
  private final QueueKeys nodeKeys = new QueueKeys("bull", QueueNames.tagged("edge-node-" + suffix));
  private final QueueKeys javaKeys = new QueueKeys("bull", QueueNames.tagged("edge-java-" + suffix));
  private final Map<String, String> nodeIds = new LinkedHashMap<>();
  private final Map<String, String> nodeIdVerdicts = new LinkedHashMap<>();
  private final Map<String, String> javaIdVerdicts = new LinkedHashMap<>();
  private Map<String, String> javaIds;
  private QueueSnapshot nodeAdded;
  private QueueSnapshot javaAdded;
  private RedisInspector inspector;
  private JavaSide java;

  @BeforeAll
  void addOnBothSides(RunningRedis redis) {
    if (!NodeSide.available()) {
      return; // each test is then skipped by requireNode(), with the reason
    }
    NodeSide node = new NodeSide(redis, "bull");
    inspector = new RedisInspector(redis);
    java = new JavaSide(redis, "bull", javaKeys.queueName());

    List<AddSpec> all = new ArrayList<>(JOBS);
    all.add(EXPLICIT_DEFAULTS);
    NodeFacts added = node.produce(nodeKeys.queueName(), all);
    for (JsonNode fact : added.ofType("added")) {
      nodeIds.put(all.get(fact.path("index").asInt()).name(), fact.path("id").asText());
    }
    javaIds = java.addAll(all);
    nodeAdded = QueueSnapshot.take(inspector, nodeKeys, new LinkedHashSet<>(nodeIds.values()));
    javaAdded = QueueSnapshot.take(inspector, javaKeys, new LinkedHashSet<>(javaIds.values()));

    List<AddSpec> candidates = CANDIDATE_IDS.stream()
        .map(id -> AddSpec.of("id " + id, "{}", Json.MAPPER.createObjectNode().put("jobId", id).toString(),
            JobOptions.defaults()))
        .toList();
    NodeFacts verdicts = node.produce(QueueNames.tagged("edge-ids-node-" + suffix), candidates);
    for (JsonNode fact : verdicts.ofType("added")) {
      nodeIdVerdicts.put(CANDIDATE_IDS.get(fact.path("index").asInt()), "accepted");
    }
    for (JsonNode fact : verdicts.ofType("rejected")) {
      nodeIdVerdicts.put(CANDIDATE_IDS.get(fact.path("index").asInt()), "rejected: " + fact.path("message").asText());
    }
    try (JavaSide ids = new JavaSide(redis, "bull", QueueNames.tagged("edge-ids-java-" + suffix))) {
      for (String id : CANDIDATE_IDS) {
        try {
          ids.queue().add("id " + id, Map.of(), JobOptions.builder().jobId(id).build());
          javaIdVerdicts.put(id, "accepted");
        } catch (InvalidOptionException e) {
          javaIdVerdicts.put(id, "rejected: " + e.getMessage());
        }
      }
    }
  }

  @BeforeEach
  void requireNode() {
    NodeSide.assumeAvailable();
  }

  @AfterAll
  void close() {
    if (java != null) {
      java.close();
    }
    if (inspector != null) {
      inspector.close();
    }
  }

  @Test
  void idsAndIdCounterMatchIncludingDuplicates() {
    assertEquals(nodeIds, javaIds);
    assertEquals("dup-1", javaIds.get("second-dup"));
    assertEquals(nodeAdded.idCounter(), javaAdded.idCounter(), "a duplicate add bumps the id counter too");
  }

  @Test
  void jobHashesMatchForEdgeOptions() {
    List<String> diffs = new ArrayList<>();
    for (AddSpec job : JOBS) {
      diffs.addAll(WireDiff.hashes(job.name(), nodeAdded.jobs().get(nodeIds.get(job.name())),
          javaAdded.jobs().get(javaIds.get(job.name())), Set.of("timestamp")));
    }
    assertEquals(List.of(), diffs);
    for (QueueSnapshot side : List.of(nodeAdded, javaAdded)) {
      String id = (side == nodeAdded ? nodeIds : javaIds).get("own-timestamp");
      assertEquals(String.valueOf(FIXED_TIMESTAMP), side.jobs().get(id).get("timestamp"), "timestamp option");
    }
    assertEquals("{\"v\":1}", javaAdded.jobs().get("dup-1").get("data"), "a duplicate add leaves the first job");
  }

  @Test
  void placementMatchesForEdgeOptions() {
    assertEquals(nodeAdded.waitList(), javaAdded.waitList(), "wait list");
    assertEquals(nodeAdded.prioritized(), javaAdded.prioritized(), "prioritized; lifo has no effect there");
    assertEquals(nodeAdded.priorityCounter(), javaAdded.priorityCounter(), "pc");
    for (QueueSnapshot side : List.of(nodeAdded, javaAdded)) {
      String id = (side == nodeAdded ? nodeIds : javaIds).get("delayed-priority");
      long due = Long.parseLong(side.jobs().get(id).get("timestamp")) + 60_000;
      assertEquals(Map.of(id, (double) due * 4096), side.delayed(), "a delayed job waits in delayed whatever its priority");
    }
  }

  @Test
  void eventsMatchForEdgeOptionsAndDuplicates() {
    List<String> diffs = new ArrayList<>();
    for (String id : new LinkedHashSet<>(nodeIds.values())) {
      List<Map<String, String>> n = nodeAdded.eventsFor(id);
      List<Map<String, String>> j = javaAdded.eventsFor(id);
      if (n.size() != j.size()) {
        diffs.add("job " + id + ": BullMQ events " + n + " vs Bullpen " + j);
        continue;
      }
      for (int i = 0; i < n.size(); i++) {
        diffs.addAll(WireDiff.events("job " + id + " event " + i, n.get(i), j.get(i)));
      }
    }
    assertEquals(List.of(), diffs);
    List<String> dupEvents = javaAdded.eventsFor("dup-1").stream().map(e -> e.get("event")).toList();
    assertEquals(List.of("added", "waiting", "duplicated"), dupEvents);
  }

  /**
   * BullMQ stores options given explicitly at their defaults ({@code delay: 0}, {@code priority: 0},
   * {@code lifo: false}) as given, Bullpen leaves them out; readers on both sides treat the two alike, so only
   * the meaning is compared here.
   */
  @Test
  void explicitDefaultOptionsMeanTheSameOnBothSides() {
    Map<String, String> node = nodeAdded.jobs().get(nodeIds.get(EXPLICIT_DEFAULTS.name()));
    Map<String, String> java = javaAdded.jobs().get(javaIds.get(EXPLICIT_DEFAULTS.name()));
    assertEquals(withoutDefaults(node.get("opts")), withoutDefaults(java.get("opts")));
    for (String field : List.of("delay", "priority", "name", "data")) {
      assertEquals(node.get(field), java.get(field), field);
    }
  }

  @Test
  void customIdValidationMatchesBullmq() {
    List<String> diffs = new ArrayList<>();
    for (String id : CANDIDATE_IDS) {
      String node = nodeIdVerdicts.get(id);
      String java = javaIdVerdicts.get(id);
      if (node.startsWith("accepted") != java.startsWith("accepted")) {
        diffs.add("jobId '" + id + "': BullMQ " + node + " vs Bullpen " + java);
      }
    }
    assertEquals(List.of(), diffs);
  }

  private static ObjectNode withoutDefaults(String optsJson) {
    ObjectNode opts = (ObjectNode) Json.tree(optsJson, "opts");
    if (opts.path("delay").asLong(-1) == 0) opts.remove("delay");
    if (opts.path("priority").asLong(-1) == 0) opts.remove("priority");
    if (opts.has("lifo") && !opts.get("lifo").asBoolean()) opts.remove("lifo");
    return opts;
  }
}
