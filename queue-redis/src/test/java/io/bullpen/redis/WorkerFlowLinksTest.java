package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.JobOptions;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A finishing child updates its parent as BullMQ's flows expect. The flow is written in BullMQ's layout by hand
 * (parent in waiting-children with a dependencies set, children pointing back with parentKey/parent).
 */
@RedisTest
class WorkerFlowLinksTest {
  private static final String PARENT = "parent-1";
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private String parentKey() {
    return f.key(PARENT);
  }

  private void addParent() {
    f.redis.hset(parentKey(), Map.of("name", "parent", "data", "{}", "opts", "{\"attempts\":0}",
        "timestamp", Long.toString(System.currentTimeMillis()), "delay", "0", "priority", "0"));
    f.redis.zadd(f.key("waiting-children"), System.currentTimeMillis(), PARENT);
  }

  /** Adds a child and links it to the parent; {@code flag} is one of fpof/cpof/idof/rdof or null. */
  private String addChild(String name, String flag, JobOptions options) {
    String id = f.add(name, Map.of(), options).id();
    String childKey = f.key(id);
    String parentJson = "{\"id\":\"" + PARENT + "\",\"queueKey\":\"bull:" + f.queueName + "\""
        + (flag == null ? "" : ",\"" + flag + "\":true") + "}";
    f.redis.hset(childKey, Map.of("parentKey", parentKey(), "parent", parentJson));
    f.redis.sadd(parentKey() + ":dependencies", childKey);
    return id;
  }

  private String addChild(String name, String flag) {
    return addChild(name, flag, JobOptions.defaults());
  }

  @Test
  void completingTheLastChildReleasesItsParentWithTheChildrenResults() {
    addParent();
    String first = addChild("child-a", null);
    String second = addChild("child-b", null, JobOptions.builder().removeOnComplete(true).build());
    List<String> order = new CopyOnWriteArrayList<>();
    f.worker(job -> {
      order.add(job.name());
      return job.name().toUpperCase();
    });
    WorkerFixture.await(() -> f.redis.zscore(f.key("completed"), PARENT) != null, "parent completed");
    assertEquals(List.of("child-a", "child-b", "parent"), order);
    assertEquals(Map.of(f.key(first), "\"CHILD-A\"", f.key(second), "\"CHILD-B\""),
        f.redis.hgetall(parentKey() + ":processed"));
    assertEquals(0L, f.redis.scard(parentKey() + ":dependencies"));
    List<Map<String, String>> parentEvents = f.eventsOf(PARENT);
    assertEquals("waiting", parentEvents.get(0).get("event"));
    assertEquals("waiting-children", parentEvents.get(0).get("prev"));
  }

  @Test
  void failedChildWithFailParentOnFailureFailsTheParentAtOnce() {
    addParent();
    String child = addChild("child", "fpof");
    addChild("pending-sibling", null, JobOptions.builder().delay(60_000).build());
    List<String> ran = new CopyOnWriteArrayList<>();
    f.worker(job -> {
      ran.add(job.name());
      throw new IllegalStateException("child broke");
    });
    WorkerFixture.await(() -> f.redis.zscore(f.key("failed"), PARENT) != null, "parent failed");
    assertEquals(List.of("child"), ran, "the parent's processor never ran");
    Map<String, String> parent = f.hash(PARENT);
    assertEquals("child " + f.key(child) + " failed", parent.get("failedReason"));
    assertNull(parent.get("defa"));
    assertTrue(f.redis.zscore(parentKey() + ":unsuccessful", f.key(child)) != null);
  }

  @Test
  void failedChildWithIgnoreDependencyOnFailureIsRecordedAndTheParentRuns() {
    addParent();
    String child = addChild("child", "idof");
    List<String> ran = new CopyOnWriteArrayList<>();
    f.worker(job -> {
      ran.add(job.name());
      if (job.name().equals("child")) {
        throw new IllegalStateException("ignored failure");
      }
      return "parent done";
    });
    WorkerFixture.await(() -> f.redis.zscore(f.key("completed"), PARENT) != null, "parent completed");
    assertEquals(List.of("child", "parent"), ran);
    assertEquals(Map.of(f.key(child), "ignored failure"), f.redis.hgetall(parentKey() + ":failed"));
  }

  @Test
  void failedChildWithoutAPolicyLeavesTheParentWaiting() throws Exception {
    addParent();
    addChild("child", null);
    f.worker(job -> {
      throw new IllegalStateException("plain failure");
    });
    WorkerFixture.await(() -> f.redis.zcard(f.key("failed")) == 1, "child failed");
    Thread.sleep(300);
    assertTrue(f.redis.zscore(f.key("waiting-children"), PARENT) != null);
    assertEquals(1L, f.redis.scard(parentKey() + ":dependencies"));
  }
}
