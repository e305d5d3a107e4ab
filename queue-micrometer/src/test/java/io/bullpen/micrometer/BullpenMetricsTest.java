package io.bullpen.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.RedisConnector;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The exact meters {@link BullpenMetrics} records for add → process → complete, fail and retry. */
@RedisTest
class BullpenMetricsTest {

  @Test
  void addProcessCompleteFailAndRetryRecordExactlyTheseMeters(RunningRedis redis) throws Exception {
    String name = "metrics-" + UUID.randomUUID();
    RedisConfig config = RedisConfig.of(redis.uri());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BullpenMetrics metrics = BullpenMetrics.builder().countsRefresh(Duration.ZERO).build();
    metrics.bindTo(registry);
    String workerId;
    try (Queue queue = new Queue(name, QueueOptions.builder().redis(config).observer(metrics).build())) {
      metrics.monitor(queue);
      queue.add("ok", Map.of());
      queue.add("flaky", Map.of(), JobOptions.builder().attempts(2).build());
      queue.add("bad", Map.of(), JobOptions.builder().attempts(1).build());
      try (Worker worker = new Worker(name, job -> {
        if (job.name().equals("bad") || job.name().equals("flaky") && job.attemptsMade() == 0) {
          throw new IllegalStateException("no");
        }
        return "done";
      }, WorkerOptions.builder().redis(config).observer(metrics).build())) {
        workerId = worker.id();
        await(() -> count(registry, BullpenMetrics.COMPLETED, name, "ok") == 1
            && count(registry, BullpenMetrics.COMPLETED, name, "flaky") == 1
            && count(registry, BullpenMetrics.FAILED, name, "bad") == 1, registry);
        assertEquals(0.0, registry.get(BullpenMetrics.ACTIVE).tag("worker", workerId).gauge().value());
      }
      // Counts come from one getJobCounts per refresh: the first read starts it, a later one shows it.
      await(() -> registry.get(BullpenMetrics.QUEUE_JOBS).tag("queue", name).tag("state", "completed").gauge()
          .value() == 2.0, registry);
      assertEquals(1.0, registry.get(BullpenMetrics.QUEUE_JOBS).tag("state", "failed").gauge().value());
      assertEquals(0.0, registry.get(BullpenMetrics.QUEUE_JOBS).tag("state", "waiting").gauge().value());

      Set<String> expected = new TreeSet<>();
      for (String job : new String[] {"ok", "flaky", "bad"}) {
        for (String meter : new String[] {BullpenMetrics.ADDED, BullpenMetrics.STARTED, BullpenMetrics.COMPLETED,
            BullpenMetrics.FAILED, BullpenMetrics.RETRIED, BullpenMetrics.WAIT}) {
          expected.add(meter + "{name=" + job + ",queue=" + name + "}");
        }
      }
      expected.add(BullpenMetrics.PROCESSING + "{name=ok,outcome=completed,queue=" + name + "}");
      expected.add(BullpenMetrics.PROCESSING + "{name=flaky,outcome=retried,queue=" + name + "}");
      expected.add(BullpenMetrics.PROCESSING + "{name=flaky,outcome=completed,queue=" + name + "}");
      expected.add(BullpenMetrics.PROCESSING + "{name=bad,outcome=failed,queue=" + name + "}");
      for (JobState state : JobState.values()) {
        if (state != JobState.UNKNOWN) {
          expected.add(BullpenMetrics.QUEUE_JOBS + "{queue=" + name + ",state="
              + state.name().toLowerCase(java.util.Locale.ROOT) + "}");
        }
      }
      // The worker's active-jobs gauge went with the worker.
      assertEquals(expected, ids(registry));

      assertEquals(1, count(registry, BullpenMetrics.ADDED, name, "flaky"));
      assertEquals(2, count(registry, BullpenMetrics.STARTED, name, "flaky"));
      assertEquals(1, count(registry, BullpenMetrics.RETRIED, name, "flaky"));
      assertEquals(0, count(registry, BullpenMetrics.FAILED, name, "flaky"));
      assertEquals(1, count(registry, BullpenMetrics.FAILED, name, "bad"));
      assertEquals(0, count(registry, BullpenMetrics.COMPLETED, name, "bad"));
      // Wait is timed for first attempts only; processing once per attempt, by outcome.
      assertEquals(1, registry.get(BullpenMetrics.WAIT).tag("name", "flaky").timer().count());
      assertEquals(1, registry.get(BullpenMetrics.PROCESSING).tag("name", "flaky").tag("outcome", "retried").timer()
          .count());
      metrics.unmonitor(name);
      assertTrue(registry.find(BullpenMetrics.QUEUE_JOBS).meters().isEmpty());
    }
  }

  @Test
  void jobNamesBeyondTheLimitShareOneTagAndASecondRegistryIsRefused(RunningRedis redis) {
    String name = "metrics-" + UUID.randomUUID();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BullpenMetrics metrics = BullpenMetrics.builder().maxJobNames(2).build();
    metrics.bindTo(registry);
    assertThrows(IllegalStateException.class, () -> metrics.bindTo(new SimpleMeterRegistry()));
    try (Queue queue = new Queue(name, QueueOptions.builder().redis(RedisConfig.of(redis.uri())).observer(metrics)
        .build())) {
      for (String job : new String[] {"a", "b", "c", "d"}) {
        queue.add(job, Map.of());
      }
    }
    assertEquals(1, count(registry, BullpenMetrics.ADDED, name, "a"));
    assertEquals(1, count(registry, BullpenMetrics.ADDED, name, "b"));
    assertEquals(2, count(registry, BullpenMetrics.ADDED, name, "other"));
  }

  @Test
  void lettuceRecordsCommandLatencyThroughTheConnectorsClientResources(RunningRedis redis) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ClientResources resources = BullpenMetrics.lettuceResources(registry);
    try (RedisConnector connector = RedisConnector.create(RedisConfig.of(redis.uri()), resources);
         Queue queue = new Queue("metrics-" + UUID.randomUUID(), QueueOptions.builder().connector(connector).build())) {
      queue.add("a", Map.of());
    } finally {
      resources.shutdown();
    }
    Set<String> commands = registry.find("lettuce.command.completion").timers().stream()
        .map(t -> t.getId().getTag("command")).collect(Collectors.toSet());
    assertTrue(commands.contains("FCALL") || commands.contains("EVALSHA"), commands.toString());
    assertTrue(registry.find("lettuce.command.firstresponse").timers().size() > 0);
  }

  private static double count(SimpleMeterRegistry registry, String meter, String queue, String job) {
    var counter = registry.find(meter).tag("queue", queue).tag("name", job).counter();
    return counter == null ? -1 : counter.count();
  }

  private static Set<String> ids(SimpleMeterRegistry registry) {
    Set<String> ids = new TreeSet<>();
    for (Meter m : registry.getMeters()) {
      if (m.getId().getName().startsWith("bullpen.")) {
        ids.add(m.getId().getName() + m.getId().getTags().stream().map(t -> t.getKey() + "=" + t.getValue())
            .collect(Collectors.joining(",", "{", "}")));
      }
    }
    return ids;
  }

  private static void await(BooleanSupplier condition, SimpleMeterRegistry registry) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out; meters " + registry.getMetersAsString());
      }
      Thread.sleep(20);
    }
  }

}
