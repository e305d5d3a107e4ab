package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.FlowNode;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobNode;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.JobParent;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.JobStateException;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What FlowProducer.add writes: BullMQ 6's flow layout, atomically, with its duplicate rules. */
@RedisTest
class FlowProducerTest {
  private static final long T0 = 1_795_336_181_623L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

  private TestClock clock;
  private FlowFixture f;

  @BeforeEach
  void open(RunningRedis redis) {
    clock = new TestClock(T0);
    f = new FlowFixture(redis, "bull", clock);
  }

  @AfterEach
  void close() {
    f.close();
  }

  /** root (parents) -> [mid (children, fpof, delay 500) -> [leaf (parents, rdof)], c2 (parents, lifo, no id)]. */
  private FlowNode threeLevels() {
    return FlowNode.builder("root", f.parents).data(Map.of("r", 1))
        .options(JobOptions.builder().jobId("root1").priority(3).build())
        .child(FlowNode.builder("mid", f.children).data(Map.of("m", 1))
            .options(JobOptions.builder().failParentOnFailure(true).delay(500).build())
            .child(FlowNode.builder("leaf", f.parents).data(Map.of("l", 1))
                .options(JobOptions.builder().jobId("leaf1").removeDependencyOnFailure(true).build()).build())
            .build())
        .child(FlowNode.builder("c2", f.parents).options(JobOptions.builder().lifo(true).build()).build())
        .build();
  }

  @Test
  void aTreeAcrossQueuesIsStoredInBullmqsLayout() throws Exception {
    JobNode root = f.flows.add(threeLevels());

    JobNode mid = root.children().get(0);
    JobNode c2 = root.children().get(1);
    JobNode leaf = mid.children().get(0);
    assertEquals("root1", root.job().id());
    assertTrue(mid.job().id().matches(UUID_PATTERN), mid.job().id());
    assertTrue(c2.job().id().matches(UUID_PATTERN), c2.job().id());
    assertEquals("leaf1", leaf.job().id());
    assertEquals(JobState.WAITING_CHILDREN, root.state());
    assertEquals(JobState.WAITING_CHILDREN, mid.state());
    assertEquals(JobState.WAITING, leaf.state());
    assertEquals(JobState.WAITING, c2.state());

    String rootKey = f.key(f.parents, "root1");
    String midKey = f.key(f.children, mid.job().id());
    Map<String, String> rootHash = f.hash(f.parents, "root1");
    assertEquals(Map.of("name", "root", "data", "{\"r\":1}", "timestamp", Long.toString(T0), "delay", "0",
        "priority", "3", "opts", rootHash.get("opts")), rootHash);
    assertEquals(JSON.readTree("{\"jobId\":\"root1\",\"priority\":3,\"attempts\":0}"), JSON.readTree(rootHash.get("opts")));

    Map<String, String> midHash = f.hash(f.children, mid.job().id());
    assertEquals(rootKey, midHash.get("parentKey"));
    assertEquals(JSON.readTree("{\"id\":\"root1\",\"queueKey\":\"bull:" + f.parents + "\",\"fpof\":true}"),
        JSON.readTree(midHash.get("parent")));
    // BullMQ 6 does not write a generated UUID into opts.
    assertEquals(JSON.readTree("{\"fpof\":true,\"parent\":{\"id\":\"root1\",\"queue\":\"bull:" + f.parents
        + "\"},\"delay\":500,\"attempts\":0}"), JSON.readTree(midHash.get("opts")));
    assertEquals("500", midHash.get("delay"));

    Map<String, String> leafHash = f.hash(f.parents, "leaf1");
    assertEquals(midKey, leafHash.get("parentKey"));
    assertEquals(JSON.readTree("{\"id\":\"" + mid.job().id() + "\",\"queueKey\":\"bull:" + f.children
        + "\",\"rdof\":true}"), JSON.readTree(leafHash.get("parent")));

    assertEquals(Set.of(midKey, f.key(f.parents, c2.job().id())), f.probe.redis.smembers(rootKey + ":dependencies"));
    assertEquals(Set.of(f.key(f.parents, "leaf1")), f.probe.redis.smembers(midKey + ":dependencies"));
    assertEquals((double) T0, f.probe.redis.zscore(f.key(f.parents, "waiting-children"), "root1"));
    assertEquals((double) T0, f.probe.redis.zscore(f.key(f.children, "waiting-children"), mid.job().id()));
    // The lifo child went to the front (right end); the later FIFO leaf to the back.
    assertEquals(List.of("leaf1", c2.job().id()), f.probe.redis.lrange(f.key(f.parents, "wait"), 0, -1));
    assertEquals("3", f.probe.redis.get(f.key(f.parents, "id")));
    assertEquals("1", f.probe.redis.get(f.key(f.children, "id")));
    assertEquals(0.0, f.probe.redis.zscore(f.key(f.parents, "marker"), "0"));
    assertNull(f.probe.redis.zscore(f.key(f.children, "marker"), "0"), "nothing runnable in children");
    assertEquals(Map.of("opts.maxLenEvents", "10000"), f.probe.redis.hgetall(f.key(f.children, "meta")));

    assertEquals(List.of("added", "waiting-children", "added", "waiting", "added", "waiting"),
        f.eventNames(f.parents, null));
    assertEquals(List.of("root1", "root1", c2.job().id(), c2.job().id(), "leaf1", "leaf1"),
        f.events(f.parents, null).stream().map(e -> e.get("jobId")).toList());
    assertEquals(List.of("added", "waiting-children"), f.eventNames(f.children, null));

    Job job = root.job();
    assertEquals("bull:" + f.parents, job.queueQualifiedName());
    assertEquals(new JobParent("root1", "bull:" + f.parents), mid.job().parent().orElseThrow());
    assertEquals(new JobParent(mid.job().id(), "bull:" + f.children), leaf.job().parent().orElseThrow());
    assertTrue(leaf.job().options().removeDependencyOnFailure());
    assertTrue(mid.job().options().failParentOnFailure());
  }

  @Test
  void getFlowReadsTheTreeWithEachNodesState() {
    JobNode added = f.flows.add(threeLevels());
    String midId = added.children().get(0).job().id();

    JobNode tree = f.flows.getFlow(f.parents, "root1").orElseThrow();
    assertEquals("root1", tree.job().id());
    assertEquals(JobState.WAITING_CHILDREN, tree.state());
    assertEquals(Set.of(midId, added.children().get(1).job().id()),
        Set.copyOf(tree.children().stream().map(n -> n.job().id()).toList()));
    JobNode mid = tree.children().stream().filter(n -> n.job().id().equals(midId)).findFirst().orElseThrow();
    assertEquals(f.children, mid.job().queueName());
    assertEquals(JobState.WAITING_CHILDREN, mid.state());
    assertEquals(List.of("leaf1"), mid.children().stream().map(n -> n.job().id()).toList());
    assertEquals(JobState.WAITING, mid.children().get(0).state());
    assertEquals(4, tree.flatten().size());

    assertEquals(1, f.flows.getFlow(f.parents, "root1", 1, 20).orElseThrow().flatten().size());
    assertEquals(3, f.flows.getFlow(f.parents, "root1", 2, 20).orElseThrow().flatten().size());
    assertEquals(1, f.flows.getFlow(f.parents, "root1", 2, 1).orElseThrow().children().size());
    assertTrue(f.flows.getFlow(f.parents, "nope").isEmpty());
    assertThrows(InvalidOptionException.class, () -> f.flows.getFlow(f.parents, "root1", 0, 20));
  }

  @Test
  void aRootNamingAMissingParentStoresNothing() {
    FlowNode tree = FlowNode.builder("root", f.parents)
        .options(JobOptions.builder().jobId("r").parent("bull:" + f.parents, "ghost").build())
        .child(FlowNode.of("kid", f.children, null)).build();

    JobNotFoundException e = assertThrows(JobNotFoundException.class, () -> f.flows.add(tree));
    assertEquals("ghost", e.jobId());
    assertTrue(f.probe.redis.keys("bull:" + f.parents + ":*").isEmpty());
    assertTrue(f.probe.redis.keys("bull:" + f.children + ":*").isEmpty());
  }

  @Test
  void aChildOfAnotherLiveParentStoresNothingOfTheTree() {
    f.flows.add(FlowNode.builder("first", f.parents).options(JobOptions.builder().jobId("p1").build())
        .child(FlowNode.builder("kid", f.children).options(JobOptions.builder().jobId("shared").build()).build())
        .build());
    String idBefore = f.probe.redis.get(f.key(f.parents, "id"));

    FlowNode second = FlowNode.builder("second", f.parents).options(JobOptions.builder().jobId("p2").build())
        .child(FlowNode.of("fresh", f.children, null))
        .child(FlowNode.builder("kid", f.children).options(JobOptions.builder().jobId("shared").build()).build())
        .build();
    JobStateException e = assertThrows(JobStateException.class, () -> f.flows.add(second));
    assertEquals("shared", e.jobId());
    assertTrue(f.hash(f.parents, "p2").isEmpty());
    assertEquals(idBefore, f.probe.redis.get(f.key(f.parents, "id")));
    assertEquals(1L, f.probe.redis.zcard(f.key(f.parents, "waiting-children")));
    assertEquals(1L, f.probe.redis.llen(f.key(f.children, "wait")));
    assertEquals(f.key(f.parents, "p1"), f.hash(f.children, "shared").get("parentKey"));
  }

  @Test
  void addBulkStoresEveryTreeOrNone() {
    FlowNode good = FlowNode.builder("good", f.parents).options(JobOptions.builder().jobId("good").build())
        .child(FlowNode.of("kid", f.children, null)).build();
    FlowNode bad = FlowNode.builder("bad", f.parents)
        .options(JobOptions.builder().jobId("bad").parent("bull:" + f.parents, "ghost").build()).build();
    assertThrows(JobNotFoundException.class, () -> f.flows.addBulk(List.of(good, bad)));
    assertTrue(f.hash(f.parents, "good").isEmpty());
    assertEquals(0L, f.probe.redis.llen(f.key(f.children, "wait")));

    FlowNode other = FlowNode.builder("other", f.parents).options(JobOptions.builder().jobId("other").build())
        .child(FlowNode.of("kid", f.children, null)).build();
    List<JobNode> both = f.flows.addBulk(List.of(good, other));
    assertEquals(List.of("good", "other"), both.stream().map(n -> n.job().id()).toList());
    assertEquals(2L, f.probe.redis.zcard(f.key(f.parents, "waiting-children")));
    assertEquals(2L, f.probe.redis.llen(f.key(f.children, "wait")));
  }

  @Test
  void aCompletedChildThatExistsCountsAsProcessedAndTheParentGoesOnAtOnce() {
    Queue children = f.queue(f.children);
    children.add("done", Map.of(), JobOptions.builder().jobId("done").build());
    f.probe.finish("bull", f.children, "done", true, T0);

    JobNode root = f.flows.add(FlowNode.builder("root", f.parents)
        .options(JobOptions.builder().jobId("r").priority(2).build())
        .child(FlowNode.builder("again", f.children).options(JobOptions.builder().jobId("done").build()).build())
        .build());

    assertEquals(JobState.PRIORITIZED, root.state());
    assertEquals(JobState.COMPLETED, root.children().get(0).state());
    assertEquals(Map.of(f.key(f.children, "done"), "{\"ok\":true}"),
        f.probe.redis.hgetall(f.key(f.parents, "r") + ":processed"));
    assertEquals(0L, f.probe.redis.scard(f.key(f.parents, "r") + ":dependencies"));
    assertEquals(f.key(f.parents, "r"), f.hash(f.children, "done").get("parentKey"));
    assertEquals(List.of("added", "waiting-children", "waiting"), f.eventNames(f.parents, "r"));
    assertEquals("waiting-children", f.events(f.parents, "r").get(2).get("prev"));
    assertTrue(f.eventNames(f.children, "done").contains("duplicated"));
  }

  @Test
  void aWaitingChildThatExistsBecomesAPendingDependency() {
    f.queue(f.children).add("early", Map.of("x", 1), JobOptions.builder().jobId("early").build());

    JobNode root = f.flows.add(FlowNode.builder("root", f.parents).options(JobOptions.builder().jobId("r").build())
        .child(FlowNode.builder("early", f.children).data(Map.of("x", 2))
            .options(JobOptions.builder().jobId("early").failParentOnFailure(true).build()).build())
        .build());

    assertEquals(JobState.WAITING_CHILDREN, root.state());
    Job early = root.children().get(0).job();
    assertEquals("{\"x\":1}", early.dataJson(), "the existing job is kept");
    assertEquals(Set.of(f.key(f.children, "early")), f.probe.redis.smembers(f.key(f.parents, "r") + ":dependencies"));
    assertEquals(f.key(f.parents, "r"), early.parentKey().orElseThrow());
    assertTrue(early.rawFields().get("parent").contains("\"fpof\":true"));
    assertEquals(List.of("added", "waiting", "duplicated"), f.eventNames(f.children, "early"));
  }

  @Test
  void queueAddWithAParentOptionLinksTheJobToThatParent() {
    f.flows.add(FlowNode.builder("root", f.parents).options(JobOptions.builder().jobId("r").build())
        .child(FlowNode.of("first", f.children, null)).build());
    Queue children = f.queue(f.children);

    Job late = children.add("late", Map.of(), JobOptions.builder().parent("bull:" + f.parents, "r")
        .ignoreDependencyOnFailure(true).build());

    assertEquals(f.key(f.parents, "r"), late.parentKey().orElseThrow());
    assertTrue(f.probe.redis.sismember(f.key(f.parents, "r") + ":dependencies", f.key(f.children, late.id())));
    assertTrue(late.id().matches("\\d+"), "a plain add keeps counter ids: " + late.id());
    assertEquals(JobState.WAITING, late.state());
    JobNotFoundException e = assertThrows(JobNotFoundException.class, () -> children.add("orphan", Map.of(),
        JobOptions.builder().parent("bull:" + f.parents, "ghost").build()));
    assertEquals("ghost", e.jobId());
    assertEquals(2L, f.probe.redis.llen(f.key(f.children, "wait")));
  }

  @Test
  void queueAddBulkWithParentsIsAtomicAndRefusesToMoveAChildToAnotherLiveParent() {
    f.flows.add(FlowNode.builder("one", f.parents).options(JobOptions.builder().jobId("one").build())
        .child(FlowNode.builder("kid", f.children).options(JobOptions.builder().jobId("kid").build()).build())
        .build());
    f.flows.add(FlowNode.builder("two", f.parents).options(JobOptions.builder().jobId("two").build()).build());
    Queue children = f.queue(f.children);
    long waitingBefore = f.probe.redis.llen(f.key(f.children, "wait"));

    JobStateException e = assertThrows(JobStateException.class, () -> children.addBulk(List.of(
        JobSpec.of("fresh", Map.of(), JobOptions.builder().parent("bull:" + f.parents, "two").build()),
        JobSpec.of("kid", Map.of(), JobOptions.builder().jobId("kid").parent("bull:" + f.parents, "two").build()))));
    assertEquals("kid", e.jobId());
    assertEquals(waitingBefore, f.probe.redis.llen(f.key(f.children, "wait")), "the fresh job was not stored");
    assertEquals(f.key(f.parents, "one"), f.hash(f.children, "kid").get("parentKey"));

    List<Job> both = children.addBulk(List.of(
        JobSpec.of("fresh", Map.of(), JobOptions.builder().parent("bull:" + f.parents, "two").build()),
        JobSpec.of("plain", Map.of())));
    assertEquals(f.key(f.parents, "two"), both.get(0).parentKey().orElseThrow());
    assertTrue(both.get(1).parentKey().isEmpty());
    assertEquals(waitingBefore + 2, f.probe.redis.llen(f.key(f.children, "wait")));
  }

  @Test
  void badNodesAreRejectedBeforeAnythingIsSent() {
    FlowNode childWithParent = FlowNode.builder("root", f.parents)
        .child(FlowNode.builder("kid", f.children)
            .options(JobOptions.builder().parent("bull:" + f.parents, "x").build()).build())
        .build();
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> f.flows.add(childWithParent));
    assertEquals("flow.children[0].options.parent", e.field());

    FlowNode tooBig = FlowNode.builder("root", f.parents).child(FlowNode.builder("kid", f.children)
        .data(Map.of("text", "x".repeat(100))).options(JobOptions.builder().sizeLimit(10).build()).build()).build();
    assertEquals("flow.children[0].data",
        assertThrows(InvalidOptionException.class, () -> f.flows.add(tooBig)).field());
    assertEquals("queueName", assertThrows(InvalidOptionException.class,
        () -> FlowNode.builder("x", "a:b")).field());
    FlowNode selfWaiting = FlowNode.builder("loop", f.parents).options(JobOptions.builder().jobId("same").build())
        .child(FlowNode.builder("mid", f.children)
            .child(FlowNode.builder("loop", f.parents).options(JobOptions.builder().jobId("same").build()).build())
            .build())
        .build();
    assertEquals("flow.children[0].children[0].options.jobId",
        assertThrows(InvalidOptionException.class, () -> f.flows.add(selfWaiting)).field());
    assertEquals("continueParentOnFailure", assertThrows(InvalidOptionException.class,
        () -> JobOptions.builder().failParentOnFailure(true).continueParentOnFailure(true)).field());
    assertEquals("defaultJobOptions.parent", assertThrows(InvalidOptionException.class,
        () -> QueueOptions.builder().defaultJobOptions(JobOptions.builder().parent("bull:q", "1").build())).field());
    FlowNode deduplicated = FlowNode.builder("root", f.parents).child(FlowNode.builder("kid", f.children)
        .options(JobOptions.builder().deduplication(io.bullpen.Deduplication.of("d")).build()).build()).build();
    assertEquals("flow.children[0].options.deduplication",
        assertThrows(InvalidOptionException.class, () -> f.flows.add(deduplicated)).field());
    assertEquals("deduplication", assertThrows(InvalidOptionException.class, () -> f.queue(f.children).add("kid",
        Map.of(), JobOptions.builder().parent("bull:" + f.parents, "p").deduplication(io.bullpen.Deduplication.of("d"))
            .build())).field());
    assertTrue(f.probe.redis.keys("bull:" + f.parents + ":*").isEmpty());
  }

  @Test
  void nodesMayUseAnotherPrefix() throws Exception {
    String otherPrefix = "bpx" + UUID.randomUUID().toString().substring(0, 8);
    JobNode root = f.flows.add(FlowNode.builder("root", f.parents)
        .child(FlowNode.builder("kid", f.children).prefix(otherPrefix).build()).build());
    String kidId = root.children().get(0).job().id();
    Map<String, String> kid = f.probe.redis.hgetall(otherPrefix + ":" + f.children + ":" + kidId);
    JsonNode parent = JSON.readTree(kid.get("parent"));
    assertEquals("bull:" + f.parents, parent.get("queueKey").asText());
    assertEquals(Set.of(otherPrefix + ":" + f.children + ":" + kidId),
        f.probe.redis.smembers(f.key(f.parents, root.job().id()) + ":dependencies"));
    assertEquals(1, f.flows.getFlow(f.parents, root.job().id()).orElseThrow().children().size());
    assertEquals(Map.of("opts.maxLenEvents", "10000"),
        f.probe.redis.hgetall(otherPrefix + ":" + f.children + ":meta"));
  }

  @Test
  void aFlowOfMoreJobsThanMaxFlowSizeIsRefusedBeforeRedisAndALargerLimitStoresIt() {
    FlowNode.Builder root = FlowNode.builder("parent", f.parents);
    for (int i = 0; i < FlowProducerOptions.DEFAULT_MAX_FLOW_SIZE; i++) {
      root.child(FlowNode.of("child", f.children, null));
    }
    FlowNode tree = root.build(); // 1 parent + 1000 children
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> f.flows.add(tree));
    assertEquals("flow", e.field());
    assertTrue(e.getMessage().contains("1001 jobs") && e.getMessage().contains("maxFlowSize 1000"), e.getMessage());
    assertThrows(InvalidOptionException.class, () -> f.flows.addBulk(List.of(FlowNode.of("a", f.parents, null), tree)));
    assertEquals(0, f.probe.redis.exists("bull:" + f.parents + ":meta", "bull:" + f.children + ":wait"));

    try (FlowProducer larger = new FlowProducer(FlowProducerOptions.builder().redis(f.redis()).maxFlowSize(1001)
        .build())) {
      assertEquals(1000, larger.add(tree).children().size());
    }
    assertEquals(1000, f.probe.redis.llen("bull:" + f.children + ":wait"));
  }
}
