package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.GroupLimits;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-group rate limits and concurrency, enforced across workers, with groups served round-robin. */
@RedisTest
class GroupLimitsTest {
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static JobOptions group(String id) {
    return JobOptions.builder().group(id).build();
  }

  @Test
  void groupedJobsWaitOutsideTheWaitListAndReportWaiting() {
    Job job = f.add("g", Map.of(), group("acme"));
    assertEquals(0, f.redis.llen(f.key("wait")), "invisible to BullMQ's fetch");
    assertEquals(List.of(job.id()), f.redis.lrange(f.key("bp:g:acme:wait"), 0, -1));
    assertEquals("acme", f.hash(job.id()).get("bpg"));
    assertEquals(JobState.WAITING, f.queue.getJobState(job.id()));
    assertEquals(1, f.queue.limits().getGroupWaitingCount("acme"));
    assertEquals(Optional.of("acme"), f.queue.getJob(job.id()).orElseThrow().options().group());
    assertThrows(InvalidOptionException.class, () -> JobOptions.builder().group("has space"));
    assertThrows(InvalidOptionException.class,
        () -> JobOptions.builder().group("a").requiredCapability("gpu").build());
  }

  @Test
  void perGroupRateLimitsHoldForManyGroupsAcrossWorkers() {
    f.queue.limits().setDefaultGroupLimits(GroupLimits.rate(3, 300));
    f.queue.limits().setGroupLimits("vip", GroupLimits.rate(6, 300));
    assertEquals(Optional.of(GroupLimits.rate(3, 300)), f.queue.limits().getDefaultGroupLimits());
    Map<String, List<String>> idsByGroup = new ConcurrentHashMap<>();
    List<String> groups = List.of("g0", "g1", "g2", "g3", "g4", "g5", "vip");
    for (int i = 0; i < 9; i++) {
      for (String g : groups) {
        idsByGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(f.add("call", Map.of(), group(g)).id());
      }
    }
    for (int w = 0; w < 3; w++) {
      f.worker(job -> null, f.options().concurrency(4).drainDelay(Duration.ofMillis(200)));
    }
    WorkerFixture.await(Duration.ofSeconds(30), () -> f.redis.zcard(f.key("completed")) == 63,
        () -> "63 jobs completed, have " + f.redis.zcard(f.key("completed")));
    for (String g : groups) {
      int max = g.equals("vip") ? 6 : 3;
      List<Long> starts = new ArrayList<>();
      for (String id : idsByGroup.get(g)) {
        starts.add(Long.parseLong(f.hash(id).get("processedOn")));
      }
      Collections.sort(starts);
      for (int i = 0; i + max < starts.size(); i++) {
        assertTrue(starts.get(i + max) - starts.get(i) >= 300 - 30,
            "group " + g + ": " + (max + 1) + " starts within " + (starts.get(i + max) - starts.get(i)) + " ms: "
                + starts);
      }
    }
  }

  @Test
  void aHotGroupDoesNotDelayTheOthersBeyondItsShare() {
    for (int i = 0; i < 60; i++) {
      f.add("hot", Map.of(), group("hot"));
    }
    for (int i = 0; i < 3; i++) {
      for (int g = 0; g < 6; g++) {
        f.add("cold", Map.of(), group("cold" + g));
      }
    }
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    f.worker(job -> {
      order.add(job.name());
      Thread.sleep(2);
      return null;
    }, f.options().drainDelay(Duration.ofMillis(200)));
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 78, "78 jobs completed");
    int lastCold = order.lastIndexOf("cold");
    long hotBefore = order.subList(0, lastCold).stream().filter("hot"::equals).count();
    assertTrue(hotBefore <= 18 / 6 + 1, "7 groups in turn: the 18 cold jobs finish while the hot group runs about 3"
        + " of its 60; it ran " + hotBefore + " (order " + order + ")");
  }

  @Test
  void groupConcurrencyHoldsAcrossWorkersWhileGroupsRunInParallel() {
    f.queue.limits().setDefaultGroupLimits(GroupLimits.concurrency(2));
    Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
    AtomicInteger total = new AtomicInteger();
    AtomicInteger mostTotal = new AtomicInteger();
    for (int i = 0; i < 8; i++) {
      for (int g = 0; g < 4; g++) {
        f.add("job", Map.of("g", "c" + g), group("c" + g));
      }
    }
    for (int w = 0; w < 3; w++) {
      f.worker(job -> {
        String g = job.options().group().orElseThrow();
        int now = running.computeIfAbsent(g, k -> new AtomicInteger()).incrementAndGet();
        most.computeIfAbsent(g, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        mostTotal.accumulateAndGet(total.incrementAndGet(), Math::max);
        Thread.sleep(40);
        total.decrementAndGet();
        running.get(g).decrementAndGet();
        return null;
      }, f.options().concurrency(4).drainDelay(Duration.ofMillis(200)));
    }
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 32, "32 jobs completed");
    most.forEach((g, m) -> assertTrue(m.get() <= 2, "group " + g + " ran " + m.get() + " at once"));
    assertTrue(mostTotal.get() > 2, "different groups run side by side, saw at most " + mostTotal.get());
    assertEquals(0, f.redis.exists(f.key("bp:groups:ready"), f.key("bp:groups:maxed")), "nothing left parked");
  }

  @Test
  void ungroupedAndGroupedJobsTakeTurns() {
    for (int i = 0; i < 20; i++) {
      f.add("plain", Map.of());
    }
    for (int i = 0; i < 5; i++) {
      f.add("grouped", Map.of(), group("g"));
    }
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    f.worker(job -> order.add(job.name()), f.options().drainDelay(Duration.ofMillis(200)));
    WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 25, "25 jobs completed");
    assertTrue(order.lastIndexOf("grouped") < 12, "grouped jobs are not starved by 20 plain ones: " + order);
  }
}
