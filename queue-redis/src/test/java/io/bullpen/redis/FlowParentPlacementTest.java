package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.FlowNode;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a released parent goes: by its own delay and priority, into a paused queue, or (after a removal) to the
 * front of wait. Workers run on a hand-moved clock so scores are exact.
 */
@RedisTest
class FlowParentPlacementTest {
  private static final long T0 = 1_795_336_181_623L;
  private static final long TWO_POW_32 = 4_294_967_296L;
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

  private void addParent(String id, JobOptions.Builder parentOptions, JobOptions.Builder childOptions) {
    f.flows.add(FlowNode.builder("parent", f.parents).options(parentOptions.jobId(id).build())
        .child(FlowNode.builder("child", f.children).options(childOptions.jobId(id + "-child").build()).build())
        .build());
  }

  private void runChildren(boolean fail) {
    clock.set(T0 + 1_000);
    f.worker(f.children, job -> {
      if (fail) {
        throw new IllegalStateException("child broke");
      }
      return "ok";
    });
  }

  @Test
  void aDelayedParentGoesToDelayedCountedFromItsLastChild() {
    addParent("p", JobOptions.builder().delay(5_000), JobOptions.builder());
    runChildren(false);
    f.awaitState(f.parents, "p", JobState.DELAYED);

    long due = T0 + 1_000 + 5_000;
    assertEquals((double) due * 4096, f.probe.redis.zscore(f.key(f.parents, "delayed"), "p"));
    assertEquals((double) due, f.probe.redis.zscore(f.key(f.parents, "marker"), "1"));
    RedisProbe.Event delayed = f.events(f.parents, "p").get(2);
    assertEquals("delayed", delayed.name());
    assertEquals(Long.toString(due), delayed.get("delay"));
    assertEquals("5000", f.hash(f.parents, "p").get("delay"));
  }

  @Test
  void aPrioritizedParentGoesToPrioritized() {
    addParent("p", JobOptions.builder().priority(7), JobOptions.builder());
    runChildren(false);
    f.awaitState(f.parents, "p", JobState.PRIORITIZED);

    assertEquals((double) (7 * TWO_POW_32 + 1), f.probe.redis.zscore(f.key(f.parents, "prioritized"), "p"));
    assertEquals(0.0, f.probe.redis.zscore(f.key(f.parents, "marker"), "0"));
    assertEquals("waiting-children", f.events(f.parents, "p").get(2).get("prev"));
  }

  @Test
  void aParentInAPausedQueueIsReleasedToWaitWithoutWakingWorkers() {
    f.queue(f.parents).pause();
    addParent("p", JobOptions.builder(), JobOptions.builder());
    assertEquals(List.of("p-child"), f.probe.redis.lrange(f.key(f.children, "wait"), 0, -1),
        "children of a paused parent queue are added as usual");
    runChildren(false);
    f.awaitState(f.parents, "p", JobState.WAITING);

    assertEquals(List.of("p"), f.probe.redis.lrange(f.key(f.parents, "wait"), 0, -1));
    assertNull(f.probe.redis.zscore(f.key(f.parents, "marker"), "0"));
    f.worker(f.parents, job -> job.getChildrenValues());
    f.queue(f.parents).resume();
    f.awaitState(f.parents, "p", JobState.COMPLETED);
    assertEquals("{\"" + f.key(f.children, "p-child") + "\":\"\\\"ok\\\"\"}", f.hash(f.parents, "p").get("returnvalue"));
  }

  @Test
  void childrenAddedToAPausedQueueWaitThereWithoutAMarker() {
    f.queue(f.children).pause();
    addParent("p", JobOptions.builder(), JobOptions.builder());
    assertEquals(List.of("p-child"), f.probe.redis.lrange(f.key(f.children, "wait"), 0, -1));
    assertNull(f.probe.redis.zscore(f.key(f.children, "marker"), "0"));
    assertEquals(JobState.WAITING_CHILDREN, f.state(f.parents, "p"));
  }

  @Test
  void failParentOnFailureKeepsADelayedParentsDelayAndMarksItToFail() {
    addParent("p", JobOptions.builder().delay(5_000), JobOptions.builder().failParentOnFailure(true));
    runChildren(true);
    f.awaitState(f.parents, "p", JobState.DELAYED);

    assertEquals((double) (T0 + 6_000) * 4096, f.probe.redis.zscore(f.key(f.parents, "delayed"), "p"));
    assertEquals("child " + f.key(f.children, "p-child") + " failed", f.hash(f.parents, "p").get("defa"));
  }

  @Test
  void aChildRemovedAtItsFinishReleasesItsParentToTheFrontOfWait() {
    addParent("p", JobOptions.builder().priority(3).delay(5_000), JobOptions.builder().removeOnFail(true));
    f.queue(f.parents).add("already-waiting", Map.of(), JobOptions.builder().jobId("w").build());
    runChildren(true);
    f.awaitState(f.parents, "p", JobState.WAITING);

    assertEquals(List.of("w", "p"), f.probe.redis.lrange(f.key(f.parents, "wait"), 0, -1));
    assertTrue(f.hash(f.children, "p-child").isEmpty());
    assertEquals(0L, f.probe.redis.scard(f.key(f.parents, "p") + ":dependencies"));
  }
}
