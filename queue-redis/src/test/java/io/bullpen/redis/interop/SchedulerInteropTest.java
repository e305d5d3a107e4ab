package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.Job;
import io.bullpen.Processor;
import io.bullpen.JobSpec;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.scheduler.Repeat;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Job schedulers shared with bullmq@6.7.0: a scheduler upserted by either side is kept going by workers of the
 * other, with the iteration ids BullMQ computes, and workers of both kinds on one queue run each slot once.
 */
@RedisTest
class SchedulerInteropTest {
  private final String queueName = QueueNames.unique("q");
  private RunningRedis server;
  private Queue queue;
  private NodeScripts node;
  private DirectRedis direct;
  private RedisClusterCommands<String, String> redis;
  private final List<Worker> workers = new ArrayList<>();

  @BeforeAll
  static void nodeAvailable() {
    NodeSide.assumeAvailable();
  }

  @BeforeEach
  void setUp(RunningRedis server) {
    this.server = server;
    queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(server.uri())));
    node = new NodeScripts(server.uri(), queueName, "bull");
    direct = DirectRedis.connect(server);
    redis = direct.sync();
  }

  @AfterEach
  void tearDown() {
    workers.forEach(w -> w.close(true));
    queue.close();
    direct.close();
  }

  private Worker javaWorker(Processor processor, String name) {
    Worker worker = new Worker(queueName, processor, WorkerOptions.builder().redis(RedisConfig.of(server.uri()))
        .name(name).build());
    workers.add(worker);
    return worker;
  }

  private static long millisOf(String iterationId) {
    return Long.parseLong(iterationId.substring(iterationId.lastIndexOf(':') + 1));
  }

  private JsonNode opts(String jobId) {
    return Json.tree(redis.hget("bull:" + queueName + ":" + jobId, "opts"), "opts of " + jobId);
  }

  @Test
  void everySchedulerUpsertedByNodeRunsOnAJavaWorkerWithBullmqsIterations() {
    List<Job> runs = new CopyOnWriteArrayList<>();
    javaWorker(job -> runs.add(job), "java");
    NodeFacts upserted = node.run("scheduler.mjs", Map.of("SCHEDULER_ID", "node-every",
        "REPEAT", "{\"every\":600,\"limit\":4}",
        "TEMPLATE", "{\"name\":\"tick\",\"data\":{\"from\":\"node\"},\"opts\":{\"attempts\":2}}"));
    String first = upserted.single("upserted").get("id").asText();
    await(() -> runs.size() == 4, "four runs on the Java worker");

    long start = millisOf(first);
    List<String> expected = List.of(first, "repeat:node-every:" + (start + 600), "repeat:node-every:" + (start + 1200),
        "repeat:node-every:" + (start + 1800));
    assertEquals(expected, runs.stream().map(Job::id).toList());
    Set<String> nodeKeys = fieldNames(opts(first));
    for (int i = 0; i < 4; i++) {
      Job run = runs.get(i);
      assertEquals("tick", run.name());
      assertEquals("{\"from\":\"node\"}", run.dataJson());
      JsonNode opts = opts(run.id());
      assertEquals(i + 1, opts.get("repeat").get("count").asInt());
      assertEquals(600, opts.get("repeat").get("every").asLong());
      assertEquals(4, opts.get("repeat").get("limit").asInt());
      assertEquals(2, opts.get("attempts").asInt());
      assertEquals(run.id(), opts.get("jobId").asText());
      assertEquals(nodeKeys, fieldNames(opts), "Java-made run " + run.id() + " has the opts BullMQ writes");
    }
    assertEquals("4", redis.hget("bull:" + queueName + ":repeat:node-every", "ic"));
  }

  @Test
  void cronSchedulerUpsertedByNodeRunsOnAJavaWorker() {
    List<String> runs = new CopyOnWriteArrayList<>();
    javaWorker(job -> runs.add(job.id()), "java");
    NodeFacts upserted = node.run("scheduler.mjs", Map.of("SCHEDULER_ID", "node-cron",
        "REPEAT", "{\"pattern\":\"* * * * * *\",\"tz\":\"Europe/Berlin\",\"limit\":3}"));
    String first = upserted.single("upserted").get("id").asText();
    await(() -> runs.size() == 3, "three runs on the Java worker");
    long start = millisOf(first);
    assertEquals(0, start % 1000);
    assertEquals(List.of(first, "repeat:node-cron:" + (start + 1000), "repeat:node-cron:" + (start + 2000)), runs);
    for (int i = 0; i < 3; i++) {
      JsonNode opts = opts(runs.get(i));
      assertEquals(millisOf(runs.get(i)), opts.get("prevMillis").asLong());
      assertEquals(i + 1, opts.get("repeat").get("count").asInt());
      assertEquals("Europe/Berlin", opts.get("repeat").get("tz").asText());
    }
  }

  @Test
  void schedulersUpsertedByJavaRunOnNodeWorkers() throws Exception {
    CompletableFuture<NodeFacts> worker = node.runInBackground("worker.mjs", Map.of("COUNT", "7",
        "DEADLINE_MS", "40000"));
    // Far enough ahead for the Node worker to be up: a run started late would skip the slots it missed.
    long start = System.currentTimeMillis() + 5_000;
    Job every = queue.schedulers().upsert("java-every", Repeat.every(Duration.ofMillis(400)).limit(4)
        .startDate(Instant.ofEpochMilli(start)).build(), JobSpec.of("tock", Map.of("from", "java")));
    long cronStart = (start / 1000 + 1) * 1000;
    queue.schedulers().upsert("java-cron", Repeat.cron("* * * * * *").tz("UTC").limit(3)
        .startDate(Instant.ofEpochMilli(cronStart)).build(), null);
    NodeFacts facts = worker.get(45, TimeUnit.SECONDS);

    List<JsonNode> processed = facts.ofType("process");
    List<String> everyRuns = NodeScripts.ids(processed).stream().filter(id -> id.startsWith("repeat:java-every:"))
        .toList();
    assertEquals(List.of(every.id(), "repeat:java-every:" + (start + 400), "repeat:java-every:" + (start + 800),
        "repeat:java-every:" + (start + 1200)), everyRuns);
    List<String> cronRuns = NodeScripts.ids(processed).stream().filter(id -> id.startsWith("repeat:java-cron:"))
        .toList();
    assertEquals(List.of("repeat:java-cron:" + cronStart, "repeat:java-cron:" + (cronStart + 1000),
        "repeat:java-cron:" + (cronStart + 2000)), cronRuns);
    for (JsonNode run : processed) {
      if (run.get("id").asText().startsWith("repeat:java-every:")) {
        assertEquals("tock", run.get("name").asText());
        assertEquals("java", run.get("data").get("from").asText());
      }
    }
    assertEquals(7, facts.ofType("completed").size());
    assertEquals("4", redis.hget("bull:" + queueName + ":repeat:java-every", "ic"));
    assertEquals("3", redis.hget("bull:" + queueName + ":repeat:java-cron", "ic"));
  }

  @Test
  void javaAndNodeWorkersTogetherRunEachSlotOnce() throws Exception {
    List<String> javaRuns = new CopyOnWriteArrayList<>();
    javaWorker(job -> {
      Thread.sleep(400);
      return javaRuns.add(job.id());
    }, "java");
    CompletableFuture<NodeFacts> nodeWorker = node.runInBackground("worker.mjs", Map.of("COUNT", "4",
        "WORKER_OPTS", "{\"name\":\"node\"}", "DEADLINE_MS", "40000"));
    // Each run takes 400 ms and one starts every 300 ms, so neither worker alone keeps up: both take runs.
    queue.schedulers().upsert("shared", Repeat.every(Duration.ofMillis(300))
        .startDate(Instant.now().plusMillis(4_000)).build(), JobSpec.of("shared", Map.of("sleepMs", 400)));
    NodeFacts facts = nodeWorker.get(45, TimeUnit.SECONDS);
    queue.schedulers().remove("shared");
    workers.forEach(Worker::close);

    List<String> nodeRuns = NodeScripts.ids(facts.ofType("process"));
    assertTrue(nodeRuns.size() >= 4, "node runs: " + nodeRuns);
    assertFalse(javaRuns.isEmpty(), "the Java worker took some runs too");
    List<String> all = new ArrayList<>(javaRuns);
    all.addAll(nodeRuns);
    Set<String> unique = new HashSet<>(all);
    assertEquals(all.size(), unique.size(), "no run twice: java " + javaRuns + ", node " + nodeRuns);
    TreeSet<Long> slots = new TreeSet<>();
    unique.forEach(id -> slots.add(millisOf(id)));
    for (long slot : slots) {
      assertEquals(0, (slot - slots.first()) % 300, "slots stay aligned: " + slots);
    }
    assertEquals(unique, new HashSet<>(redis.zrange("bull:" + queueName + ":completed", 0, -1)),
        "every run that ran completed once");
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
