package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.DependencyCounts;
import io.bullpen.DependencyPage;
import io.bullpen.FlowNode;
import io.bullpen.Job;
import io.bullpen.JobDependencies;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.JobStateException;
import io.bullpen.Processor;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flows run by Bullpen workers: parents after children, results handed up, processor-driven waits. */
@RedisTest
class FlowProcessingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private FlowFixture f;

  @BeforeEach
  void open(RunningRedis redis) {
    f = new FlowFixture(redis);
  }

  @AfterEach
  void close() {
    f.close();
  }

  /** Leaves return their name; a parent returns its children's values keyed by child id, sorted. */
  private static Object summarize(Job job) throws Exception {
    Map<String, String> values = job.getChildrenValues();
    if (values.isEmpty()) {
      return job.name();
    }
    Map<String, Object> byId = new TreeMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      byId.put(e.getKey().substring(e.getKey().lastIndexOf(':') + 1), JSON.readTree(e.getValue()));
    }
    return byId;
  }

  private static JobOptions id(String id) {
    return JobOptions.builder().jobId(id).build();
  }

  @Test
  void aThreeLevelTreeAcrossQueuesRunsBottomUpAndHandsResultsUp() throws Exception {
    String third = f.group + "-third";
    f.flows.add(FlowNode.builder("book", f.parents).options(id("book"))
        .child(FlowNode.builder("part", f.children).options(id("part-1"))
            .child(FlowNode.builder("page-a", third).options(id("a")).build())
            .child(FlowNode.builder("page-b", third).options(id("b")).build())
            .build())
        .child(FlowNode.builder("part", f.children).options(id("part-2"))
            .child(FlowNode.builder("page-c", third).options(id("c")).build())
            .build())
        .child(FlowNode.builder("cover", third).options(id("cover")).build())
        .build());
    Map<String, Long> finished = new ConcurrentHashMap<>();
    Map<String, Long> started = new ConcurrentHashMap<>();
    Processor processor = job -> {
      started.put(job.id(), System.nanoTime());
      Object result = summarize(job);
      finished.put(job.id(), System.nanoTime());
      return result;
    };
    f.worker(third, processor, f.workerOptions().concurrency(3));
    f.worker(f.children, processor, f.workerOptions().concurrency(2));
    f.worker(f.parents, processor);

    f.awaitState(f.parents, "book", JobState.COMPLETED);
    String result = f.queue(f.parents).getJob("book").orElseThrow().returnValueJson().orElseThrow();
    assertEquals(JSON.readTree("{\"cover\":\"cover\",\"part-1\":{\"a\":\"page-a\",\"b\":\"page-b\"},"
        + "\"part-2\":{\"c\":\"page-c\"}}"), JSON.readTree(result));
    for (String[] edge : new String[][] {{"part-1", "a"}, {"part-1", "b"}, {"part-2", "c"}, {"book", "part-1"},
        {"book", "part-2"}, {"book", "cover"}}) {
      assertTrue(started.get(edge[0]) > finished.get(edge[1]), edge[0] + " started before " + edge[1] + " ended");
    }
    assertEquals(List.of("added", "waiting-children", "waiting", "active", "completed"),
        f.eventNames(f.parents, "book"));
    assertEquals(new DependencyCounts(3, 0, 0, 0), f.queue(f.parents).getJob("book").orElseThrow()
        .getDependenciesCount());
  }

  @Test
  void groupedChildrenWaitInTheirGroupAndStillReleaseTheirParent() {
    f.flows.add(FlowNode.builder("parent", f.parents).options(id("routed-parent"))
        .child(FlowNode.builder("kid", f.children).options(JobOptions.builder().jobId("g-kid").group("tenant-1")
            .build()).build())
        .child(FlowNode.builder("kid", f.children).options(JobOptions.builder().jobId("plain-kid").build()).build())
        .build());
    assertEquals(List.of("plain-kid"), f.probe.redis.lrange(f.key(f.children, "wait"), 0, -1),
        "the grouped child waits outside BullMQ's wait list");
    assertEquals("tenant-1", f.hash(f.children, "g-kid").get("bpg"));
    assertEquals(JobState.WAITING, f.state(f.children, "g-kid"));

    f.worker(f.children, job -> job.id());
    f.worker(f.parents, job -> job.getChildrenValues().size());
    f.awaitState(f.parents, "routed-parent", JobState.COMPLETED);
    assertEquals("2", f.hash(f.parents, "routed-parent").get("returnvalue"));
  }

  @Test
  void siblingsFinishingAtTheSameMomentReleaseEachParentExactlyOnce() {
    int parents = 20;
    int perParent = 12;
    List<FlowNode> trees = new ArrayList<>();
    for (int p = 0; p < parents; p++) {
      FlowNode.Builder parent = FlowNode.builder("parent", f.parents).options(id("p" + p));
      for (int c = 0; c < perParent; c++) {
        parent.child(FlowNode.builder("child", f.children).data(Map.of("n", c)).build());
      }
      trees.add(parent.build());
    }
    f.flows.addBulk(trees);

    int slots = 4 * 8;
    CountDownLatch allBusy = new CountDownLatch(slots);
    Processor child = job -> {
      // The first `slots` children wait for each other, then finish together; the rest run freely.
      allBusy.countDown();
      allBusy.await(10, TimeUnit.SECONDS);
      return job.data(Map.class).get("n");
    };
    for (int w = 0; w < 4; w++) {
      f.worker(f.children, child, f.workerOptions().concurrency(8));
    }
    Map<String, AtomicInteger> parentRuns = new ConcurrentHashMap<>();
    f.worker(f.parents, job -> {
      parentRuns.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
      return job.getChildrenValues().size();
    }, f.workerOptions().concurrency(4));

    FlowFixture.await(() -> f.probe.redis.zcard(f.key(f.parents, "completed")) == parents,
        () -> "all parents completed; counts " + f.queue(f.parents).getJobCounts());
    for (int p = 0; p < parents; p++) {
      String id = "p" + p;
      assertEquals(1, parentRuns.get(id).get(), id + " ran once");
      assertEquals(Integer.toString(perParent), f.hash(f.parents, id).get("returnvalue"));
      long releases = f.events(f.parents, id).stream()
          .filter(e -> e.name().equals("waiting") && "waiting-children".equals(e.get("prev"))).count();
      assertEquals(1, releases, id + " released once");
      assertEquals(perParent, f.probe.redis.hlen(f.key(f.parents, id) + ":processed"));
    }
    assertEquals(0L, f.probe.redis.zcard(f.key(f.parents, "waiting-children")));
    assertEquals(parents * perParent, f.probe.redis.zcard(f.key(f.children, "completed")));
  }

  @Test
  void aProcessorAddsChildrenToItsJobAndWaitsForThem() {
    Queue children = f.queue(f.children);
    List<String> runs = new CopyOnWriteArrayList<>();
    AtomicInteger moved = new AtomicInteger();
    f.worker(f.parents, job -> {
      runs.add(job.dataJson());
      if (!job.dataJson().contains("step")) {
        for (int i = 0; i < 3; i++) {
          children.add("kid", Map.of("i", i), JobOptions.builder().jobId("kid-" + i).parent(job).build());
        }
        job.updateData(Map.of("step", "waiting"));
        if (job.moveToWaitingChildren()) {
          moved.incrementAndGet();
          return "ignored: the job is parked";
        }
      }
      return summarize(job);
    });
    Job boss = f.queue(f.parents).add("boss", Map.of(), id("boss"));
    FlowFixture.await(() -> moved.get() == 1, () -> "boss parked");
    assertEquals(JobState.WAITING_CHILDREN, boss.state());
    assertEquals(new DependencyCounts(0, 3, 0, 0), boss.getDependenciesCount());

    f.worker(f.children, job -> "done-" + job.id());
    f.awaitState(f.parents, "boss", JobState.COMPLETED);
    assertEquals(2, runs.size());
    Map<String, String> hash = f.hash(f.parents, "boss");
    assertEquals("{\"kid-0\":\"done-kid-0\",\"kid-1\":\"done-kid-1\",\"kid-2\":\"done-kid-2\"}",
        hash.get("returnvalue"));
    assertEquals("2", hash.get("ats"));
    assertEquals("1", hash.get("atm"), "parking the job is not an attempt");
    List<RedisProbe.Event> events = f.events(f.parents, "boss");
    assertEquals(List.of("added", "waiting", "active", "waiting-children", "waiting", "active", "completed"),
        events.stream().map(RedisProbe.Event::name).toList());
    assertEquals("active", events.get(3).get("prev"));
  }

  @Test
  void moveToWaitingChildrenWithNothingPendingLeavesTheJobRunning() {
    Map<String, Object> seen = new ConcurrentHashMap<>();
    f.worker(f.parents, job -> {
      seen.put("any", job.moveToWaitingChildren());
      seen.put("one", job.moveToWaitingChildren("bull:" + f.children + ":nobody"));
      return "ran through";
    });
    f.queue(f.parents).add("lonely", Map.of(), id("lonely"));
    f.awaitState(f.parents, "lonely", JobState.COMPLETED);
    assertEquals(Map.of("any", false, "one", false), seen);

    Job notFetched = f.queue(f.parents).getJob("lonely").orElseThrow();
    assertThrows(IllegalStateException.class, notFetched::moveToWaitingChildren);
  }

  @Test
  void moveToWaitingChildrenRefusesAJobWhoseChildFailedItsParent() {
    AtomicInteger refusals = new AtomicInteger();
    Queue children = f.queue(f.children);
    CountDownLatch childFailed = new CountDownLatch(1);
    f.worker(f.children, job -> {
      try {
        throw new IllegalStateException("kid broke");
      } finally {
        childFailed.countDown();
      }
    });
    f.worker(f.parents, job -> {
      children.add("kid", Map.of(), JobOptions.builder().parent(job).failParentOnFailure(true).build());
      children.add("slow-kid", Map.of(), JobOptions.builder().parent(job).delay(60_000).build());
      childFailed.await(10, TimeUnit.SECONDS);
      FlowFixture.await(() -> f.probe.redis.zcard(f.key(f.parents, job.id()) + ":unsuccessful") == 1, () -> "fpof");
      try {
        job.moveToWaitingChildren();
      } catch (JobStateException e) {
        refusals.incrementAndGet();
        throw e;
      }
      return "unreachable";
    });
    f.queue(f.parents).add("boss", Map.of(), JobOptions.builder().jobId("boss").attempts(3).build());
    f.awaitState(f.parents, "boss", JobState.FAILED);
    assertEquals(1, refusals.get(), "failed for good at once, attempts left or not");
    assertEquals("Cannot complete job boss because it has at least one failed child. moveToWaitingChildren",
        f.hash(f.parents, "boss").get("failedReason"));
  }

  @Test
  void largeChildSetsArePagedThroughRedisCursors() {
    f.flows.add(FlowNode.builder("parent", f.parents).options(id("wide"))
        .child(FlowNode.builder("kid", f.children).options(id("k")).build()).build());
    String wide = f.key(f.parents, "wide");
    // Past Redis' compact encodings (512 entries without a config file), so HSCAN and SSCAN really page.
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < 600; i++) {
      values.put(f.key(f.children, "done-" + i), Integer.toString(i));
      f.probe.redis.sadd(wide + ":dependencies", f.key(f.children, "pending-" + i));
    }
    f.probe.redis.hset(wide + ":processed", values);
    Job job = f.queue(f.parents).getJob("wide").orElseThrow();

    Map<String, String> processed = new HashMap<>();
    Set<String> pending = new java.util.HashSet<>();
    int pages = 0;
    for (DependencyPage page = DependencyPage.builder().processed(0).pending(0).count(50).build(); page != null;
        pages++) {
      JobDependencies part = job.getDependencies(page);
      assertTrue(part.processed().size() < 600 && part.pending().size() < 600, "a page, not everything");
      processed.putAll(part.processed());
      pending.addAll(part.pending());
      page = part.nextPage().orElse(null);
    }
    assertTrue(pages > 2, "pages: " + pages);
    assertEquals(values, processed);
    assertEquals(601, pending.size());
    assertEquals(new DependencyCounts(600, 601, 0, 0), job.getDependenciesCount());
  }

  @Test
  void dependenciesArePagedWithCursorsAndAgreeWithTheFullRead() {
    FlowNode.Builder tree = FlowNode.builder("parent", f.parents).options(id("big"));
    for (int i = 0; i < 25; i++) {
      JobOptions.Builder opts = JobOptions.builder().jobId("k" + i);
      if (i % 5 == 1) {
        opts.ignoreDependencyOnFailure(true);
      } else if (i % 5 == 2) {
        opts.failParentOnFailure(true);
      }
      tree.child(FlowNode.builder("kid", f.children).data(Map.of("i", i)).options(opts.build()).build());
    }
    f.flows.add(tree.build());
    // i % 5 == 1 fail with idof (ignored), i % 5 == 2 with fpof (failed), the other 15 complete.
    f.worker(f.children, job -> {
      int i = (Integer) job.data(Map.class).get("i");
      if (i % 5 == 1 || i % 5 == 2) {
        throw new IllegalStateException("kid " + i + " broke");
      }
      return i;
    }, f.workerOptions().concurrency(4));
    FlowFixture.await(() -> f.probe.redis.zcard(f.key(f.children, "completed"))
        + f.probe.redis.zcard(f.key(f.children, "failed")) == 25, () -> "children settled");
    Job big = f.queue(f.parents).getJob("big").orElseThrow();
    JobDependencies all = big.getDependencies();
    DependencyCounts counts = big.getDependenciesCount();
    assertEquals(new DependencyCounts(15, 0, 5, 5), counts);
    assertEquals(15, all.processed().size());
    assertEquals("3", all.processed().get(f.key(f.children, "k3")));
    assertEquals(5, all.failed().size());
    assertEquals("kid 1 broke", all.ignored().get(f.key(f.children, "k1")));
    assertTrue(all.nextPage().isEmpty());
    assertEquals(all.processed(), big.getChildrenValues());
    assertEquals(all.ignored(), big.getFailedChildrenValues());

    Map<String, String> processed = new HashMap<>();
    Map<String, String> ignored = new HashMap<>();
    List<String> failed = new ArrayList<>();
    int pages = 0;
    for (DependencyPage page = DependencyPage.firstOfEach(2); page != null; pages++) {
      JobDependencies part = big.getDependencies(page);
      processed.putAll(part.processed());
      ignored.putAll(part.ignored());
      failed.addAll(part.failed());
      page = part.nextPage().orElse(null);
    }
    assertTrue(pages >= 3, "paged in " + pages);
    assertEquals(all.processed(), processed);
    assertEquals(all.ignored(), ignored);
    assertEquals(Set.copyOf(all.failed()), Set.copyOf(failed));
    assertEquals(5, failed.size());

    JobDependencies onlyFailed = big.getDependencies(DependencyPage.builder().failed(0).count(3).build());
    assertEquals(3, onlyFailed.failed().size());
    assertTrue(onlyFailed.processed().isEmpty());
    assertEquals(3L, onlyFailed.nextPage().orElseThrow().failed().getAsLong());
    assertTrue(onlyFailed.nextPage().orElseThrow().processed().isEmpty());
    assertEquals(JobState.WAITING, big.state(), "the first fpof failure released it to fail");
    assertTrue(f.hash(f.parents, "big").get("defa").startsWith("child " + f.key(f.children, "k")));
  }
}
