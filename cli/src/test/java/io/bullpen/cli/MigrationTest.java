package io.bullpen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.FlowNode;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.UnrecoverableError;
import io.bullpen.cli.CliRun.Result;
import io.bullpen.redis.FlowProducer;
import io.bullpen.redis.FlowProducerOptions;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.scheduler.Repeat;
import io.bullpen.testkit.RedisCluster;
import io.bullpen.testkit.RedisProcess;
import io.bullpen.testkit.RedisTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bullpen migrate} between two Redis servers of the test's own, to a Redis Cluster with a hash-tagged
 * prefix, and across a killed run.
 */
@RedisTest
class MigrationTest {
  private static RedisProcess source;
  private static RedisProcess target;

  @BeforeAll
  static void start() {
    source = RedisProcess.builder().start();
    target = RedisProcess.builder().start();
  }

  @AfterAll
  static void stop() {
    source.close();
    target.close();
  }

  /** A queue with jobs in every state, a flow, logs, a scheduler, a deduplication key, events and metrics. */
  private static Map<JobState, Long> populate(String uri, String queueName) throws Exception {
    RedisConfig config = RedisConfig.of(uri);
    try (Queue queue = new Queue(queueName, QueueOptions.of(config));
        FlowProducer flows = new FlowProducer(FlowProducerOptions.of(config))) {
      List<JobSpec> specs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        specs.add(JobSpec.of(i % 4 == 0 ? "fail" : "ok", Map.of("i", i)));
      }
      queue.addBulk(specs);
      try (Worker worker = new Worker(queueName, job -> {
        if (job.name().equals("fail")) {
          throw new UnrecoverableError("no");
        }
        job.log("ran " + job.id());
        return Map.of("done", job.id());
      }, WorkerOptions.builder().redis(config).concurrency(4).build())) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (queue.getJobCounts(JobState.COMPLETED, JobState.FAILED).values().stream().mapToLong(Long::longValue)
            .sum() < 40 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      }
      queue.add("later", Map.of(), JobOptions.builder().delay(600_000).build());
      queue.add("urgent", Map.of(), JobOptions.builder().priority(2).build());
      queue.add("once", Map.of(), JobOptions.builder().deduplication(io.bullpen.Deduplication.of("d1")).build());
      queue.add("plain", Map.of("x", 1));
      flows.add(FlowNode.builder("parent", queueName).options(JobOptions.builder().jobId("p1").build())
          .child(FlowNode.builder("child", queueName).options(JobOptions.builder().jobId("c1").build()).build())
          .build());
      queue.schedulers().upsert("every-hour", Repeat.every(Duration.ofHours(1)).build(), JobSpec.of("tick", Map.of()));
      return queue.getJobCounts();
    }
  }

  private static Map<JobState, Long> counts(String uri, String prefix, String queueName) {
    try (Queue queue = new Queue(queueName, QueueOptions.builder().redis(RedisConfig.of(uri)).prefix(prefix)
        .build())) {
      return queue.getJobCounts();
    }
  }

  @Test
  void runCopiesEveryStateVerifyAgreesAndRollbackRemovesTheCopy() throws Exception {
    Map<JobState, Long> before = populate(source.uri(), "orders");
    CliRun cli = new CliRun(source.uri());
    Result run = cli.run("migrate", "run", "--to", target.uri(), "--queue", "orders");
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals(before, counts(target.uri(), "bull", "orders"));
    try (Queue copy = new Queue("orders", QueueOptions.of(RedisConfig.of(target.uri())))) {
      assertFalse(copy.isPaused(), "the target runs as the source did before the run");
      assertEquals(1, copy.schedulers().count());
      assertEquals(List.of("ran 2"), copy.getJobLogs("2").lines());
      Job child = copy.getJob("c1").orElseThrow();
      assertEquals("bull:orders:p1", child.parentKey().orElseThrow());
      assertEquals("1", copy.limits().getDeduplicationJobId("d1").map(id -> "1").orElse("none"));
    }
    Result verify = cli.run("migrate", "verify", "--to", target.uri(), "--queue", "orders");
    assertEquals(0, verify.exitCode(), verify::toString);
    assertTrue(verify.out().contains("no differences"), verify::toString);

    Result status = cli.run("migrate", "status", "--to", target.uri(), "--all", "--json");
    assertTrue(status.out().contains("\"state\" : \"copied\""), status::toString);

    Result again = cli.run("migrate", "run", "--to", target.uri(), "--queue", "orders", "--json");
    assertTrue(again.out().contains("\"copied\" : 0"), "a finished migration copies nothing again: " + again);

    // A difference made on the target is found.
    try (RedisClient client = RedisClient.create(target.uri());
        StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().hset("bull:orders:c1", "data", "{\"tampered\":true}");
    } catch (RuntimeException e) {
      throw e;
    }
    Result differs = cli.run("migrate", "verify", "--to", target.uri(), "--queue", "orders");
    assertEquals(1, differs.exitCode(), differs::toString);
    assertTrue(differs.out().contains("different on the target: bull:orders:c1"), differs::toString);

    Result rollback = cli.run("migrate", "rollback", "--to", target.uri(), "--queue", "orders");
    assertEquals(0, rollback.exitCode(), rollback::toString);
    assertEquals(0, counts(target.uri(), "bull", "orders").values().stream().mapToLong(Long::longValue).sum());
    try (Queue original = new Queue("orders", QueueOptions.of(RedisConfig.of(source.uri())))) {
      assertFalse(original.isPaused(), "rollback resumes the source");
      original.obliterate(true);
    }
  }

  @Test
  void standaloneToAClusterWithAHashTaggedPrefix() throws Exception {
    Map<JobState, Long> before = populate(source.uri(), "invoices");
    try (RedisCluster cluster = RedisCluster.builder().masters(3).replicasPerMaster(0).start()) {
      String clusterUri = "redis-cluster://" + String.join(",", cluster.seedUris().stream()
          .map(u -> u.substring("redis://".length())).toList());
      CliRun cli = new CliRun(source.uri());
      Result run = cli.run("migrate", "run", "--to", clusterUri, "--to-prefix", "{bull}", "--queue", "invoices");
      assertEquals(0, run.exitCode(), run::toString);
      assertEquals(before, counts(clusterUri, "{bull}", "invoices"));
      try (Queue copy = new Queue("invoices", QueueOptions.builder().redis(RedisConfig.of(clusterUri))
          .prefix("{bull}").build())) {
        assertEquals("{bull}:invoices:p1", copy.getJob("c1").orElseThrow().parentKey().orElseThrow());
        assertTrue(copy.integrity().check().ok(), "the copy is consistent");
      }
      Result verify = cli.run("migrate", "verify", "--to", clusterUri, "--to-prefix", "{bull}", "--queue",
          "invoices");
      assertEquals(0, verify.exitCode(), verify::toString);
    } finally {
      try (Queue original = new Queue("invoices", QueueOptions.of(RedisConfig.of(source.uri())))) {
        original.obliterate(true);
      }
    }
  }

  @Test
  void aRunKilledMidwayIsResumedWithoutDuplicates() throws Exception {
    try (Queue queue = new Queue("bulk", QueueOptions.of(RedisConfig.of(source.uri())))) {
      for (int chunk = 0; chunk < 6; chunk++) {
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          specs.add(JobSpec.of("n", Map.of("i", chunk * 1000 + i)));
        }
        queue.addBulk(specs);
      }
    }
    Path jar = Path.of("target", "bullpen.jar").toAbsolutePath();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString(), "--redis", source.uri(), "migrate",
        "run", "--to", target.uri(), "--queue", "bulk").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("BULLPEN_MIGRATION_BATCH_SIZE", "20");
    Process child = builder.start();
    try (RedisClient client = RedisClient.create(target.uri());
        StatefulRedisConnection<String, String> c = client.connect()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && child.isAlive()) {
        String copied = c.sync().hget("bull:bulk:bp:migration", "copied");
        if (copied != null && Long.parseLong(copied) >= 500) {
          break;
        }
        Thread.sleep(5);
      }
      assertTrue(child.isAlive(), "the run was still copying when killed");
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      assertEquals("copying", c.sync().hget("bull:bulk:bp:migration", "state"));
      long copiedBeforeKill = Long.parseLong(c.sync().hget("bull:bulk:bp:migration", "copied"));
      assertTrue(copiedBeforeKill < 6000, "killed midway: " + copiedBeforeKill);

      Result resumed = new CliRun(source.uri()).run("migrate", "run", "--to", target.uri(), "--queue", "bulk");
      assertEquals(0, resumed.exitCode(), resumed::toString);
      assertEquals("copied", c.sync().hget("bull:bulk:bp:migration", "state"));
      assertEquals(6000L, c.sync().llen("bull:bulk:wait"), "every job once in wait");
      assertEquals(6000L, c.sync().lrange("bull:bulk:wait", 0, -1).stream().distinct().count());
    } finally {
      child.destroyForcibly();
    }
    Result verify = new CliRun(source.uri()).run("migrate", "verify", "--to", target.uri(), "--queue", "bulk");
    assertEquals(0, verify.exitCode(), verify::toString);
    Result rollback = new CliRun(source.uri()).run("migrate", "rollback", "--to", target.uri(), "--queue", "bulk");
    assertEquals(0, rollback.exitCode(), rollback::toString);
  }

  @Test
  void activeJobsAreWaitedForAndTheRunRefusesWhenTheyStay() throws Exception {
    RedisConfig config = RedisConfig.of(source.uri());
    try (Queue queue = new Queue("busy", QueueOptions.of(config))) {
      queue.add("a", Map.of(), JobOptions.builder().jobId("held").build());
      // A lease stands for a worker that keeps the job active.
      assertEquals(1, queue.leases().claim("holder", Duration.ofMinutes(5), 1).size());
      CliRun cli = new CliRun(source.uri());
      Result refused = cli.run("migrate", "run", "--to", target.uri(), "--queue", "busy", "--active-wait", "200ms");
      assertEquals(6, refused.exitCode(), refused::toString);
      assertTrue(refused.err().contains("still active"), refused::toString);
      assertTrue(queue.isPaused(), "the source stays paused so no new job starts");

      Result requeued = cli.run("migrate", "run", "--to", target.uri(), "--queue", "busy", "--active-wait", "200ms",
          "--requeue-active");
      assertEquals(0, requeued.exitCode(), requeued::toString);
      assertEquals(JobState.WAITING, counts(target.uri(), "bull", "busy").entrySet().stream()
          .filter(e -> e.getValue() == 1).map(Map.Entry::getKey).findFirst().orElseThrow());
      assertEquals(0, cli.run("migrate", "rollback", "--to", target.uri(), "--queue", "busy").exitCode());
      queue.obliterate(true);
    }
  }
}
