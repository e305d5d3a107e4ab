package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.JobMetrics;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.TestClock;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BullMQ's {@code metrics} option: a Bullpen worker keeps the per-minute counts of finished jobs exactly as
 * BullMQ's workers do (checked against the layout's rules with a clock moved by hand), BullMQ's own
 * {@code getMetrics} reads them, and Bullpen's {@code getMetrics} reads what a BullMQ worker wrote.
 */
@RedisTest
class MetricsInteropTest {
  private static final long MINUTE = 60_000;

  @Test
  void aBullpenWorkersMetricsFollowBullmqsRulesAndBullmqReadsThem(RunningRedis redis) throws Exception {
    String name = io.bullpen.testkit.QueueNames.unique("metrics-java");
    RedisConfig config = RedisConfig.of(redis.uri());
    long t0 = (System.currentTimeMillis() / MINUTE + 1) * MINUTE + 1_000;
    TestClock clock = new TestClock(t0);
    try (Queue queue = new Queue(name, QueueOptions.of(config));
         Worker worker = new Worker(name, job -> {
           if (job.name().startsWith("fail")) {
             throw new IllegalStateException("asked to fail");
           }
           return "ok";
         }, WorkerOptions.builder().redis(config).clock(clock).metrics(5).build())) {
      // Minute 0: the first completion only starts the bookkeeping, the second counts into the running minute.
      finish(queue, "a", JobState.COMPLETED, 1);
      clock.set(t0 + 10_000);
      finish(queue, "b", JobState.COMPLETED, 2);
      JobMetrics early = queue.getMetrics(JobMetrics.Type.COMPLETED, 0, -1);
      assertEquals(new JobMetrics(2, t0, 0, List.of(), 0), early);
      // Three minutes on: the finished minute's count (2), then a zero per empty minute, newest first.
      clock.set(t0 + 3 * MINUTE);
      finish(queue, "c", JobState.COMPLETED, 3);
      assertEquals(new JobMetrics(3, t0 + 3 * MINUTE, 2, List.of(0L, 0L, 2L), 3),
          queue.getMetrics(JobMetrics.Type.COMPLETED, 0, -1));
      // Ten minutes later: capped at maxDataPoints (5) points, the older ones trimmed.
      clock.set(t0 + 13 * MINUTE);
      finish(queue, "d", JobState.COMPLETED, 4);
      assertEquals(new JobMetrics(4, t0 + 13 * MINUTE, 3, List.of(0L, 0L, 0L, 0L, 1L), 5),
          queue.getMetrics(JobMetrics.Type.COMPLETED, 0, -1));
      assertEquals(List.of(0L, 0L), queue.getMetrics(JobMetrics.Type.COMPLETED, 1, 2).data());
      // Final failures count in metrics:failed (moveToFinished, not the grouped completions).
      finish(queue, "fail-1", JobState.FAILED, 1);
      clock.set(t0 + 14 * MINUTE);
      finish(queue, "fail-2", JobState.FAILED, 2);
      assertEquals(new JobMetrics(2, t0 + 14 * MINUTE, 1, List.of(1L), 1),
          queue.getMetrics(JobMetrics.Type.FAILED, 0, -1));
    }
    NodeSide.assumeAvailable();
    NodeFacts facts = new NodeScripts(redis.uri(), name, "bull").run("metrics.mjs", Map.of("ACTION", "read"));
    JsonNode completed = facts.ofType("metrics").get(0);
    assertEquals("completed", completed.get("metricsType").asText());
    assertEquals(4, completed.path("meta").path("count").asLong(), completed.toString());
    assertEquals(t0 + 13 * MINUTE, completed.path("meta").path("prevTS").asLong(), completed.toString());
    assertEquals(3, completed.path("meta").path("prevCount").asLong(), completed.toString());
    assertEquals(List.of(0L, 0L, 0L, 0L, 1L), longs(completed.get("data")));
    assertEquals(5, completed.get("count").asLong());
    JsonNode failed = facts.ofType("metrics").get(1);
    assertEquals(2, failed.path("meta").path("count").asLong(), failed.toString());
    assertEquals(List.of(1L), longs(failed.get("data")));
  }

  @Test
  void bullpenReadsTheMetricsOfABullmqWorker(RunningRedis redis) {
    NodeSide.assumeAvailable();
    String name = io.bullpen.testkit.QueueNames.unique("metrics-node");
    RedisConfig config = RedisConfig.of(redis.uri());
    try (Queue queue = new Queue(name, QueueOptions.of(config))) {
      for (int i = 0; i < 3; i++) {
        queue.add("ok-" + i, Map.of());
      }
      queue.add("bad", Map.of("fail", true), JobOptions.builder().attempts(1).build());
      NodeFacts facts = new NodeScripts(redis.uri(), name, "bull").run("metrics.mjs",
          Map.of("ACTION", "work", "COUNT", "4", "MAX_DATA_POINTS", "10"));
      assertEquals(4, facts.ofType("finished").size(), facts.toString());
      JobMetrics completed = queue.getMetrics(JobMetrics.Type.COMPLETED, 0, -1);
      JobMetrics failed = queue.getMetrics(JobMetrics.Type.FAILED, 0, -1);
      assertEquals(3, completed.count(), completed.toString());
      assertEquals(1, failed.count(), failed.toString());
      assertTrue(completed.prevTimestamp() > 0, completed.toString());
      // Within one minute nothing is pushed yet; a minute boundary in between pushes the counts before it.
      assertTrue(completed.data().stream().mapToLong(Long::longValue).sum() <= 2, completed.toString());
      assertEquals(completed.total(), completed.data().size());
    }
  }

  private static void finish(Queue queue, String jobName, JobState state, long expected) throws InterruptedException {
    queue.add(jobName, Map.of(), JobOptions.builder().attempts(1).build());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (queue.getJobCounts(state).get(state) < expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + jobName + " did not end " + state + ": " + queue.getJobCounts());
      }
      Thread.sleep(10);
    }
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> values = new ArrayList<>();
    array.forEach(n -> values.add(n.asLong()));
    return values;
  }
}
