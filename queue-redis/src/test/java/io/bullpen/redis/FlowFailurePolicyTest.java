package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.DependencyCounts;
import io.bullpen.FlowNode;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.Processor;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each child failure policy with BullMQ's semantics, on the tree gp (parents) <- p (children, failParentOnFailure)
 * <- [bad (parents, the policy under test; it always fails), slow (parents; held until the test lets it go)], so
 * the policy acts while a sibling is still pending and the outcome then goes up to the grandparent.
 */
@RedisTest
class FlowFailurePolicyTest {
  private FlowFixture f;
  private final CountDownLatch releaseSlow = new CountDownLatch(1);
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open(RunningRedis redis) {
    f = new FlowFixture(redis);
  }

  @AfterEach
  void close() {
    releaseSlow.countDown();
    f.close();
  }

  private void start(UnaryOperator<JobOptions.Builder> policy) {
    f.flows.add(FlowNode.builder("gp", f.parents).options(JobOptions.builder().jobId("gp").build())
        .child(FlowNode.builder("p", f.children)
            .options(JobOptions.builder().jobId("p").failParentOnFailure(true).build())
            .child(FlowNode.builder("bad", f.parents)
                .options(policy.apply(JobOptions.builder().jobId("bad").attempts(2)).build()).build())
            .child(FlowNode.builder("slow", f.parents).options(JobOptions.builder().jobId("slow").build()).build())
            .build())
        .build());
    Processor processor = job -> {
      ran.add(job.id());
      switch (job.id()) {
        case "bad" -> throw new IllegalStateException("bad broke on attempt " + job.attemptsStarted());
        case "slow" -> {
          releaseSlow.await(20, TimeUnit.SECONDS);
          return "slow done";
        }
        default -> {
          return Map.of("values", job.getChildrenValues(), "ignored", job.getFailedChildrenValues());
        }
      }
    };
    f.worker(f.parents, processor, f.workerOptions().concurrency(3));
    f.worker(f.children, processor);
    f.awaitState(f.parents, "bad", JobState.FAILED);
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private String key(String queue, String id) {
    return f.key(queue, id);
  }

  private DependencyCounts counts(String queue, String id) {
    return f.queue(queue).getJob(id).orElseThrow().getDependenciesCount();
  }

  @Test
  void failParentOnFailureFailsTheParentAndCascadesToTheGrandparentThroughDefa() {
    start(b -> b.failParentOnFailure(true));
    f.awaitState(f.parents, "gp", JobState.FAILED);

    assertEquals("child " + key(f.parents, "bad") + " failed", f.hash(f.children, "p").get("failedReason"));
    assertEquals("child " + key(f.children, "p") + " failed", f.hash(f.parents, "gp").get("failedReason"));
    assertFalse(ran.contains("p") || ran.contains("gp"), "failed parents never reach the processor: " + ran);
    assertNull(f.hash(f.children, "p").get("defa"), "defa goes once the job has failed");
    assertEquals(Set.of(key(f.parents, "bad")), Set.copyOf(f.probe.redis.zrange(key(f.children, "p")
        + ":unsuccessful", 0, -1)));
    assertEquals(new DependencyCounts(0, 1, 1, 0), counts(f.children, "p"));
    assertEquals(new DependencyCounts(0, 0, 1, 0), counts(f.parents, "gp"));
    assertEquals(JobState.ACTIVE, f.state(f.parents, "slow"), "the sibling runs on");

    releaseSlow.countDown();
    f.awaitState(f.parents, "slow", JobState.COMPLETED);
    assertEquals(new DependencyCounts(1, 0, 1, 0), counts(f.children, "p"));
    assertEquals(JobState.FAILED, f.state(f.children, "p"));
  }

  @Test
  void continueParentOnFailureRunsTheParentAtOnceWhileSiblingsArePending() {
    start(b -> b.continueParentOnFailure(true));
    // Released at once, p runs, but cannot complete with `slow` pending: BullMQ's worker then fails it, and
    // p's own failParentOnFailure takes the grandparent along.
    f.awaitState(f.parents, "gp", JobState.FAILED);
    assertTrue(ran.contains("p"));
    assertEquals("Job p has pending dependencies. moveToFinished", f.hash(f.children, "p").get("failedReason"));
    assertEquals("child " + key(f.children, "p") + " failed", f.hash(f.parents, "gp").get("failedReason"));
    assertEquals(Map.of(key(f.parents, "bad"), "bad broke on attempt 2"),
        f.probe.redis.hgetall(key(f.children, "p") + ":failed"));
    assertEquals(new DependencyCounts(0, 1, 0, 1), counts(f.children, "p"));
    assertEquals(List.of("added", "waiting-children", "waiting", "active", "failed", "retries-exhausted"),
        f.eventNames(f.children, "p"));
    releaseSlow.countDown();
  }

  @Test
  void ignoreDependencyOnFailureLetsTheParentRunOnceTheOthersAreDoneAndShowsTheFailure() {
    start(b -> b.ignoreDependencyOnFailure(true));
    assertEquals(JobState.WAITING_CHILDREN, f.state(f.children, "p"));
    releaseSlow.countDown();
    f.awaitState(f.parents, "gp", JobState.COMPLETED);

    assertEquals(json("{\"values\":{\"" + key(f.parents, "slow") + "\":\"\\\"slow done\\\"\"},\"ignored\":{\""
        + key(f.parents, "bad") + "\":\"bad broke on attempt 2\"}}"), json(f.hash(f.children, "p").get("returnvalue")));
    assertEquals(new DependencyCounts(1, 0, 0, 1), counts(f.children, "p"));
    assertEquals(new DependencyCounts(1, 0, 0, 0), counts(f.parents, "gp"));
  }

  @Test
  void removeDependencyOnFailureDropsTheChildWithoutATrace() {
    start(b -> b.removeDependencyOnFailure(true));
    assertEquals(JobState.WAITING_CHILDREN, f.state(f.children, "p"));
    assertEquals(new DependencyCounts(0, 1, 0, 0), counts(f.children, "p"));
    releaseSlow.countDown();
    f.awaitState(f.parents, "gp", JobState.COMPLETED);

    assertEquals(new DependencyCounts(1, 0, 0, 0), counts(f.children, "p"));
    assertEquals(json("{\"values\":{\"" + key(f.parents, "slow") + "\":\"\\\"slow done\\\"\"},\"ignored\":{}}"),
        json(f.hash(f.children, "p").get("returnvalue")));
  }

  @Test
  void withoutAPolicyTheParentKeepsWaitingForTheFailedChild() throws Exception {
    start(b -> b);
    releaseSlow.countDown();
    f.awaitState(f.parents, "slow", JobState.COMPLETED);
    Thread.sleep(200);

    assertEquals(JobState.WAITING_CHILDREN, f.state(f.children, "p"));
    assertEquals(JobState.WAITING_CHILDREN, f.state(f.parents, "gp"));
    assertEquals(new DependencyCounts(1, 1, 0, 0), counts(f.children, "p"));
    assertEquals(Set.of(key(f.parents, "bad")), f.probe.redis.smembers(key(f.children, "p") + ":dependencies"));
    assertEquals("2", f.hash(f.parents, "bad").get("atm"), "the child used its own retries first");
  }
}
