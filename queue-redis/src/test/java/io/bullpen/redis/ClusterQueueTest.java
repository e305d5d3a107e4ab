package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.FlowNode;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobFailedException;
import io.bullpen.JobNode;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.event.QueueEvent;
import io.bullpen.testkit.RedisCluster;
import io.bullpen.testkit.RedisProcess;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.StandaloneOnly;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bullpen on a local three-master Redis Cluster: queues whose keys share a slot through a hash tag work on whichever
 * master owns them, and queues or flows that would span slots are refused before anything is written.
 */
@RedisTest
@StandaloneOnly("starts a Redis Cluster of its own; already runs in the standalone pass")
class ClusterQueueTest {
  private static RedisCluster cluster;
  private static RedisConnector connector;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.builder().masters(3).start();
    connector = RedisConnector.create(RedisConfig.of(clusterUri(cluster)));
  }

  @AfterAll
  static void stopCluster() {
    if (connector != null) {
      connector.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static String clusterUri(RedisCluster cluster) {
    List<String> hosts = new ArrayList<>();
    for (String seed : cluster.seedUris()) {
      hosts.add(seed.substring("redis://".length()));
    }
    return "redis-cluster://" + String.join(",", hosts);
  }

  private static String unique(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Queue names whose slots lie on every master of the cluster, one per master. */
  private static List<String> queuesOnEveryMaster() {
    Map<Integer, String> byMaster = new ConcurrentHashMap<>();
    List<RedisProcess> masters = cluster.masters();
    while (byMaster.size() < masters.size()) {
      String name = "{" + unique("q") + "}";
      byMaster.putIfAbsent(masters.indexOf(cluster.masterFor(name)), name);
    }
    return List.copyOf(byMaster.values());
  }

  @Test
  void aQueueWithoutHashTagIsRefusedWithWhatToChange() {
    InvalidOptionException e = assertThrows(InvalidOptionException.class,
        () -> new Queue("mail", QueueOptions.builder().connector(connector).build()));
    assertEquals("prefix", e.field());
    assertTrue(e.getMessage().contains("'{bull}'") && e.getMessage().contains("'{mail}'"), e.getMessage());
    assertThrows(InvalidOptionException.class,
        () -> new Worker("mail", job -> null, WorkerOptions.builder().connector(connector).build()));
    assertThrows(InvalidOptionException.class,
        () -> new QueueEvents("mail", QueueEventsOptions.builder().connector(connector).build()));
  }

  @Test
  void workersProcessQueuesOnEveryMasterAndEveryCompletionHasItsEvent() throws Exception {
    List<String> names = queuesOnEveryMaster();
    List<AutoCloseable> open = new ArrayList<>();
    try {
      Set<String> completedEvents = ConcurrentHashMap.newKeySet();
      Map<String, Queue> queues = new ConcurrentHashMap<>();
      for (String name : names) {
        Queue queue = new Queue(name, QueueOptions.builder().connector(connector).build());
        open.add(queue);
        queues.put(name, queue);
        QueueEvents events = new QueueEvents(name, QueueEventsOptions.builder().connector(connector).build());
        open.add(events);
        events.on(QueueEvent.Completed.class, e -> completedEvents.add(name + "/" + e.job()));
        Worker worker = new Worker(name, job -> "done " + job.data(Map.class).get("n"),
            WorkerOptions.builder().connector(connector).concurrency(4).build());
        open.add(worker);
      }
      List<String> expected = new ArrayList<>();
      for (String name : names) {
        for (int n = 0; n < 30; n++) {
          Job job = queues.get(name).add("work", Map.of("n", n));
          expected.add(name + "/" + job.id());
        }
      }
      WorkerFixture.await(Duration.ofSeconds(30), () -> completedEvents.containsAll(expected),
          () -> "completed events: " + completedEvents.size() + " of " + expected.size());
      for (String name : names) {
        Map<JobState, Long> counts = queues.get(name).getJobCounts();
        assertEquals(30L, counts.get(JobState.COMPLETED), name + ": " + counts);
        assertEquals(0L, counts.get(JobState.ACTIVE), name + ": " + counts);
      }
    } finally {
      closeAll(open);
    }
  }

  @Test
  void delayedJobsRunAndWaitUntilFinishedAnswersOnTheQueuesNode() throws Exception {
    String name = "{" + unique("delayed") + "}";
    try (Queue queue = new Queue(name, QueueOptions.builder().connector(connector).build());
        QueueEvents events = new QueueEvents(name, QueueEventsOptions.builder().connector(connector).build());
        Worker worker = new Worker(name, job -> "late", WorkerOptions.builder().connector(connector).build())) {
      Job job = queue.add("later", Map.of(), JobOptions.builder().delay(Duration.ofMillis(300)).build());
      assertEquals("\"late\"", events.waitUntilFinished(job.id(), Duration.ofSeconds(20)).get(25, TimeUnit.SECONDS));
    }
  }

  @Test
  void aCancelPublishedOnOneNodeReachesTheWorkerRunningTheJob() throws Exception {
    String name = "{" + unique("cancel") + "}";
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Queue queue = new Queue(name, QueueOptions.builder().connector(connector).build());
        QueueEvents events = new QueueEvents(name, QueueEventsOptions.builder().connector(connector).build());
        Worker worker = new Worker(name, job -> {
          seen.add("started");
          if (job.cancellation().await(Duration.ofSeconds(20))) {
            job.cancellation().throwIfCancelled();
          }
          return "not cancelled";
        }, WorkerOptions.builder().connector(connector).build())) {
      Job job = queue.add("long", Map.of());
      WorkerFixture.await(() -> !seen.isEmpty(), "job started");
      assertTrue(queue.cancelJob(job.id(), "stop it"));
      CompletionException failed = assertThrows(CompletionException.class,
          () -> events.waitUntilFinished(job.id(), Duration.ofSeconds(20)).join());
      assertTrue(failed.getCause() instanceof JobFailedException, failed.toString());
      assertEquals("stop it", queue.getJob(job.id()).orElseThrow().failedReason().orElse(null));
    }
  }

  @Test
  void aFlowWithinOneHashTagRunsAcrossItsQueues() throws Exception {
    String tag = "{" + unique("flows") + "}";
    String parents = unique("parents");
    String children = unique("children");
    try (FlowProducer flows = new FlowProducer(FlowProducerOptions.builder().connector(connector).prefix(tag).build());
        Worker parentWorker = new Worker(parents, job -> "parent done",
            WorkerOptions.builder().connector(connector).prefix(tag).build());
        Worker childWorker = new Worker(children, job -> "child done",
            WorkerOptions.builder().connector(connector).prefix(tag).build());
        Queue parentQueue = new Queue(parents, QueueOptions.builder().connector(connector).prefix(tag).build())) {
      JobNode root = flows.add(FlowNode.builder("root", parents)
          .child(FlowNode.of("a", children, Map.of()))
          .child(FlowNode.of("b", children, Map.of()))
          .build());
      WorkerFixture.await(Duration.ofSeconds(20),
          () -> parentQueue.getJobState(root.job().id()) == JobState.COMPLETED,
          () -> "root state " + parentQueue.getJobState(root.job().id()));
      assertEquals(2, parentQueue.getJob(root.job().id()).orElseThrow().getChildrenValues().size());
    }
  }

  @Test
  void aFlowWhoseQueuesSpanSlotsIsRefusedBeforeAnythingIsWritten() throws Exception {
    String first = "{" + unique("one") + "}";
    String second = "{" + unique("two") + "}";
    while (RedisCluster.slotOf(first) == RedisCluster.slotOf(second)) {
      second = "{" + unique("two") + "}";
    }
    String other = second;
    try (FlowProducer flows = new FlowProducer(FlowProducerOptions.builder().connector(connector).build());
        Queue firstQueue = new Queue(first, QueueOptions.builder().connector(connector).build());
        Queue secondQueue = new Queue(other, QueueOptions.builder().connector(connector).build())) {
      InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> flows.add(
          FlowNode.builder("root", first).child(FlowNode.of("child", other, Map.of())).build()));
      assertEquals("flow", e.field());
      assertTrue(e.getMessage().contains("share one slot"), e.getMessage());
      assertEquals(0L, firstQueue.getJobCounts().values().stream().mapToLong(Long::longValue).sum());
      assertEquals(0L, secondQueue.getJobCounts().values().stream().mapToLong(Long::longValue).sum());
    }
  }

  @Test
  void scriptsFlushedFromTheOwningNodeAreLoadedAgain() throws Exception {
    String name = "{" + unique("flush") + "}";
    try (Queue queue = new Queue(name, QueueOptions.builder().connector(connector).build())) {
      queue.add("before", Map.of());
      RedisProcess owner = cluster.masterFor(name);
      RedisClient client = RedisClient.create(owner.uri());
      try (StatefulRedisConnection<String, String> direct = client.connect()) {
        direct.sync().scriptFlush();
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      queue.add("after", Map.of());
      assertEquals(2L, queue.getJobCounts().get(JobState.WAITING));
    }
  }

  @Test
  void closingObjectsBuiltOnTheConnectorLeavesItWorking() throws Exception {
    String name = "{" + unique("reuse") + "}";
    Set<String> done = new HashSet<>();
    try (Queue queue = new Queue(name, QueueOptions.builder().connector(connector).build())) {
      Worker first = new Worker(name, job -> "first", WorkerOptions.builder().connector(connector).build());
      Job a = queue.add("a", Map.of());
      WorkerFixture.await(() -> queue.getJobState(a.id()) == JobState.COMPLETED, "first job done");
      first.close();
      Job b = queue.add("b", Map.of());
      try (Worker second = new Worker(name, job -> "second", WorkerOptions.builder().connector(connector).build())) {
        WorkerFixture.await(() -> queue.getJobState(b.id()) == JobState.COMPLETED, "second job done");
      }
      done.add(a.id());
      done.add(b.id());
    }
    assertEquals(2, done.size());
    assertFalse(connector.toString().isEmpty());
  }

  private static void closeAll(List<AutoCloseable> open) throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }
}
