package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.FlowNode;
import io.bullpen.Job;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Removing flow jobs takes their subtree along and releases the parent they leave, as BullMQ does. */
@RedisTest
class FlowRemovalTest {
  private FlowFixture f;

  @BeforeEach
  void open(RunningRedis redis) {
    f = new FlowFixture(redis);
  }

  @AfterEach
  void close() {
    f.close();
  }

  private static JobOptions id(String id) {
    return JobOptions.builder().jobId(id).build();
  }

  /** root (parents, priority 5) <- mid (children) <- [a (parents), b (children) <- c (parents)]. */
  private void addTree() {
    f.flows.add(FlowNode.builder("root", f.parents).options(JobOptions.builder().jobId("root").priority(5).build())
        .child(FlowNode.builder("mid", f.children).options(id("mid"))
            .child(FlowNode.builder("a", f.parents).options(id("a")).build())
            .child(FlowNode.builder("b", f.children).options(id("b"))
                .child(FlowNode.builder("c", f.parents).options(id("c")).build()).build())
            .build())
        .build());
  }

  private Set<String> jobKeys(String queue) {
    Set<String> keys = new java.util.TreeSet<>(f.probe.redis.keys(f.prefix + ":" + queue + ":*"));
    keys.removeIf(k -> k.endsWith(":events") || k.endsWith(":meta") || k.endsWith(":id") || k.endsWith(":marker")
        || k.endsWith(":wait") || k.endsWith(":waiting-children") || k.endsWith(":pc")
        || k.endsWith(":prioritized"));
    return keys;
  }

  @Test
  void removingASubtreeRemovesItsDescendantsInEveryQueueAndReleasesTheParentItLeaves() {
    addTree();

    assertTrue(f.queue(f.children).remove("mid"));

    assertEquals(Set.of(f.key(f.parents, "root")), jobKeys(f.parents));
    assertEquals(Set.of(), jobKeys(f.children));
    // BullMQ puts a parent released by a removal at the front of wait whatever its priority.
    assertEquals(JobState.WAITING, f.state(f.parents, "root"));
    assertEquals(List.of("root"), f.probe.redis.lrange(f.key(f.parents, "wait"), 0, -1));
    RedisProbe.Event release = f.events(f.parents, "root").get(2);
    assertEquals("waiting", release.name());
    assertEquals("waiting-children", release.get("prev"));
    assertEquals(List.of("removed"), f.eventNames(f.parents, "c").subList(2, 3));
    assertEquals("wait", f.events(f.parents, "c").get(2).get("prev"));
    assertEquals("waiting-children", f.events(f.children, "mid").get(2).get("prev"));
    assertEquals("removed", f.events(f.children, "b").get(2).name());
    assertEquals(0L, f.probe.redis.scard(f.key(f.parents, "root") + ":dependencies"));
  }

  @Test
  void removingTheRootRemovesTheWholeTree() {
    addTree();
    assertTrue(f.queue(f.parents).remove("root"));
    assertEquals(Set.of(), jobKeys(f.parents));
    assertEquals(Set.of(), jobKeys(f.children));
    assertEquals(0L, f.probe.redis.zcard(f.key(f.parents, "waiting-children")));
    assertEquals(0L, f.probe.redis.llen(f.key(f.parents, "wait")));
  }

  @Test
  void aDescendantHeldByAWorkerKeepsTheWholeTree() {
    addTree();
    f.probe.activate(f.prefix, f.parents, "c", "some-token", System.currentTimeMillis());

    assertFalse(f.queue(f.parents).remove("root"));
    assertFalse(f.queue(f.children).remove("mid"));
    for (String id : List.of("root", "a", "c")) {
      assertFalse(f.hash(f.parents, id).isEmpty(), id + " kept");
    }
    for (String id : List.of("mid", "b")) {
      assertFalse(f.hash(f.children, id).isEmpty(), id + " kept");
    }
    assertEquals(JobState.WAITING_CHILDREN, f.state(f.parents, "root"));
  }

  @Test
  void removeChildDependencyDetachesAChildAndReleasesTheParentAfterTheLast() {
    f.flows.add(FlowNode.builder("root", f.parents).options(JobOptions.builder().jobId("root").delay(60_000).build())
        .child(FlowNode.builder("a", f.children).options(id("a")).build())
        .child(FlowNode.builder("b", f.children).options(id("b")).build())
        .build());
    Job a = f.queue(f.children).getJob("a").orElseThrow();
    Job b = f.queue(f.children).getJob("b").orElseThrow();

    assertTrue(a.removeChildDependency());
    assertEquals(JobState.WAITING_CHILDREN, f.state(f.parents, "root"));
    Map<String, String> detached = f.hash(f.children, "a");
    assertNull(detached.get("parentKey"));
    assertNull(detached.get("parent"));
    assertEquals(JobState.WAITING, f.state(f.children, "a"), "the child itself stays");

    assertTrue(b.removeChildDependency());
    assertEquals(JobState.WAITING, f.state(f.parents, "root"), "released to wait despite its delay, as BullMQ");
    assertEquals(0L, f.probe.redis.zcard(f.key(f.parents, "delayed")));

    JobNotFoundException gone = assertThrows(JobNotFoundException.class, a::removeChildDependency);
    assertTrue(gone.getMessage().contains("(parent)"), gone.getMessage());
  }

  @Test
  void removeChildDependencyOfAFinishedChildReportsNoRelationship() {
    f.flows.add(FlowNode.builder("root", f.parents).options(id("root"))
        .child(FlowNode.builder("a", f.children).options(id("a")).build())
        .child(FlowNode.builder("b", f.children).options(JobOptions.builder().jobId("b").delay(60_000).build())
            .build())
        .build());
    f.worker(f.children, job -> "done");
    f.awaitState(f.children, "a", JobState.COMPLETED);

    assertFalse(f.queue(f.children).getJob("a").orElseThrow().removeChildDependency());
    assertEquals(f.key(f.parents, "root"), f.hash(f.children, "a").get("parentKey"));
    assertEquals(JobState.WAITING_CHILDREN, f.state(f.parents, "root"));
  }

  @Test
  void drainingChildrenReleasesAParentElsewhereAndDeletesOneInTheSameQueue() {
    f.flows.add(FlowNode.builder("elsewhere", f.parents).options(id("elsewhere"))
        .child(FlowNode.builder("a", f.children).options(id("a")).build()).build());
    f.flows.add(FlowNode.builder("same", f.children).options(id("same"))
        .child(FlowNode.builder("b", f.children).options(id("b")).build()).build());

    f.queue(f.children).drain(false);

    assertEquals(JobState.WAITING, f.state(f.parents, "elsewhere"));
    assertTrue(f.hash(f.children, "same").isEmpty(), "a same-queue parent goes with its last child");
    assertEquals(0L, f.probe.redis.zcard(f.key(f.children, "waiting-children")));
  }
}
