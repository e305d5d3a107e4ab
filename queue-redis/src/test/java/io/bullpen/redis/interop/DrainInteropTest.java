package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.JobOptions;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code drain(false)} and {@code drain(true)} after the same adds (waiting, prioritized, delayed and delayed
 * prioritized jobs): BullMQ drains two queues, Bullpen two others, and every key left under each queue is
 * compared, with the counters and the marker.
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DrainInteropTest {
  private static final List<AddSpec> JOBS = List.of(
      AddSpec.of("p3", "{}", "{\"priority\":3}", JobOptions.builder().priority(3).build()),
      AddSpec.of("p1", "{}", "{\"priority\":1}", JobOptions.builder().priority(1).build()),
      AddSpec.of("w", "{}", "{}", JobOptions.defaults()),
      AddSpec.of("d", "{}", "{\"delay\":60000}", JobOptions.builder().delay(60_000).build()),
      AddSpec.of("dp", "{}", "{\"delay\":60000,\"priority\":2}",
          JobOptions.builder().delay(60_000).priority(2).build()));

  private final String suffix = UUID.randomUUID().toString();
  private RedisInspector inspector;
  private Drained node;
  private Drained java;

  /** What one side left after adding {@link #JOBS} to two queues and draining them. */
  private record Drained(QueueKeys keepDelayed, QueueKeys withDelayed) {}

  @BeforeAll
  void drainOnBothSides(RunningRedis redis) {
    if (!NodeSide.available()) {
      return; // each test is then skipped by requireNode(), with the reason
    }
    inspector = new RedisInspector(redis);
    node = new Drained(new QueueKeys("bull", QueueNames.tagged("drain-node-" + suffix)), new QueueKeys("bull", QueueNames.tagged("drain-node-all-" + suffix)));
    java = new Drained(new QueueKeys("bull", QueueNames.tagged("drain-java-" + suffix)), new QueueKeys("bull", QueueNames.tagged("drain-java-all-" + suffix)));

    NodeSteps steps = new NodeSteps();
    steps.add(node.keepDelayed().queueName(), JOBS);
    steps.drain(node.keepDelayed().queueName(), false);
    steps.add(node.withDelayed().queueName(), JOBS);
    steps.drain(node.withDelayed().queueName(), true);
    NodeFacts facts = new NodeSide(redis, "bull").run(steps);
    assertEquals(List.of(), facts.ofType("rejected"), "BullMQ refused a step");

    for (QueueKeys keys : List.of(java.keepDelayed(), java.withDelayed())) {
      try (JavaSide side = new JavaSide(redis, "bull", keys.queueName())) {
        side.addAll(JOBS);
        side.queue().drain(keys == java.withDelayed());
      }
    }
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
  void drainLeavesTheSameKeysAsBullMqIncludingThePriorityCounter() {
    SortedSet<String> nodeKeys = inspector.queueKeys(node.keepDelayed());
    assertTrue(nodeKeys.contains("pc"), "BullMQ's own result: pc stays, " + nodeKeys);
    assertEquals(nodeKeys, inspector.queueKeys(java.keepDelayed()));
    assertEquals(inspector.string(node.keepDelayed().priorityCounter()),
        inspector.string(java.keepDelayed().priorityCounter()), "pc");
  }

  @Test
  void drainWithDelayedLeavesTheSameKeysAsBullMqIncludingThePriorityCounter() {
    SortedSet<String> nodeKeys = inspector.queueKeys(node.withDelayed());
    assertTrue(nodeKeys.contains("pc"), "BullMQ's own result: pc stays, " + nodeKeys);
    assertEquals(nodeKeys, inspector.queueKeys(java.withDelayed()));
    assertEquals(inspector.string(node.withDelayed().priorityCounter()),
        inspector.string(java.withDelayed().priorityCounter()), "pc");
  }

  @Test
  void drainLeavesTheSameMarkerAndDelayedJobsAsBullMq() {
    for (boolean delayed : List.of(false, true)) {
      QueueKeys n = delayed ? node.withDelayed() : node.keepDelayed();
      QueueKeys j = delayed ? java.withDelayed() : java.keepDelayed();
      String what = "drain(" + delayed + ") ";
      assertEquals(inspector.zset(n.marker()).keySet(), inspector.zset(j.marker()).keySet(), what + "marker members");
      assertEquals(inspector.zset(n.delayed()).keySet(), inspector.zset(j.delayed()).keySet(), what + "delayed");
      assertEquals(inspector.list(n.waitList()), inspector.list(j.waitList()), what + "wait");
      assertEquals(inspector.string(n.idCounter()), inspector.string(j.idCounter()), what + "id");
      List<String> diffs = new ArrayList<>();
      for (String id : inspector.zset(n.delayed()).keySet()) {
        diffs.addAll(WireDiff.hashes(what + "job " + id, inspector.jobHash(n, id), inspector.jobHash(j, id),
            Set.of("timestamp")));
      }
      assertEquals(List.of(), diffs);
      assertEquals(eventNames(n), eventNames(j), what + "events (drain itself emits none)");
    }
  }

  private List<String> eventNames(QueueKeys keys) {
    return inspector.stream(keys.events()).stream().map(e -> e.getBody().get("event")).toList();
  }
}
