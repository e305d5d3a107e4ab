package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.JobParent;
import io.bullpen.JobSpec;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class QueueBulkTest {
  static final long T0 = QueueAddTest.T0;
  static final long TWO_POW_32 = QueueAddTest.TWO_POW_32;

  private RunningRedis server;
  private RedisProbe probe;
  private String k;
  private Queue queue;

  @BeforeEach
  void open(RunningRedis redis) {
    server = redis;
    probe = new RedisProbe(redis);
    String name = RedisProbe.uniqueQueueName();
    k = "bull:" + name + ":";
    queue = new Queue(name, probe.options().clock(new TestClock(T0)).build());
  }

  @AfterEach
  void close() {
    queue.close();
    probe.close();
  }

  /** A thousand mixed jobs: every third prioritized, every third delayed, the rest standard. */
  private static List<JobSpec> mixedSpecs(int n) {
    List<JobSpec> specs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      JobOptions options = switch (i % 3) {
        case 0 -> JobOptions.builder().priority(i % 5 + 1).build();
        case 1 -> JobOptions.builder().delay(1000 + i).build();
        default -> null;
      };
      specs.add(JobSpec.of("job-" + i, Map.of("i", i), options));
    }
    return specs;
  }

  /** Script calls: EVALSHA, or FCALL where the server runs Bullpen's scripts as functions. */
  private long scriptCalls() {
    return probe.direct.commandCalls("evalsha") + probe.direct.commandCalls("fcall");
  }

  @Test
  void addBulkStoresAThousandMixedJobsWithOneScriptCall() {
    queue.add("warm-up", null); // loads the script, so the batch below is exactly one script call
    long before = scriptCalls();

    List<Job> jobs = queue.addBulk(mixedSpecs(1000));

    assertEquals(before + 1, scriptCalls());
    assertEquals(1000, jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      assertEquals(Integer.toString(i + 2), jobs.get(i).id());
      assertEquals("job-" + i, jobs.get(i).name());
    }
    assertEquals(1 + 333, probe.redis.llen(k + "wait"));
    assertEquals(334, probe.redis.zcard(k + "prioritized"));
    assertEquals(333, probe.redis.zcard(k + "delayed"));
    assertEquals("1001", probe.redis.get(k + "id"));
    // Scores follow the batch order: the priority counter grows job by job.
    assertEquals(1 * TWO_POW_32 + 1, probe.redis.zscore(k + "prioritized", "2").longValue());
    assertEquals(4 * TWO_POW_32 + 2, probe.redis.zscore(k + "prioritized", "5").longValue());
    assertEquals((T0 + 1001) * 4096, probe.redis.zscore(k + "delayed", "3").longValue());
    // FIFO among the standard jobs: the first added is at the right end.
    List<String> wait = probe.redis.lrange(k + "wait", 0, -1);
    assertEquals("1", wait.get(wait.size() - 1));
    assertEquals("4", wait.get(wait.size() - 2));
    assertEquals(2 + 2000, probe.redis.xlen(k + "events")); // added + waiting/delayed per job
  }

  @Test
  void aBulkLargerThanTheChunkSizeGoesOutInAtomicChunksInOrder() {
    queue.add("warm-up", null);
    long before = scriptCalls();

    List<Job> jobs = queue.addBulk(mixedSpecs(2500));

    assertEquals(before + 3, scriptCalls(), "chunks of 1000, 1000 and 500");
    for (int i = 0; i < jobs.size(); i++) {
      assertEquals(Integer.toString(i + 2), jobs.get(i).id());
    }
    assertEquals(1 + 833, probe.redis.llen(k + "wait"));
    assertEquals(834, probe.redis.zcard(k + "prioritized"));
    assertEquals(833, probe.redis.zcard(k + "delayed"));
  }

  @Test
  void whenALaterChunkFailsTheEarlierChunksStayAddedAndTheFailingChunkAddsNothing() {
    try (Queue small = new Queue(RedisProbe.uniqueQueueName(),
        probe.options().clock(new TestClock(T0)).bulkChunkSize(2).build())) {
      String q = "bull:" + small.name() + ":";
      JobOptions orphan = JobOptions.builder().parent(JobParent.of("bull", small.name(), "missing")).build();
      List<JobSpec> specs = List.of(JobSpec.of("a", null), JobSpec.of("b", null), JobSpec.of("c", null),
          JobSpec.of("child", null, orphan));
      assertThrows(JobNotFoundException.class, () -> small.addBulk(specs));
      assertEquals(List.of("2", "1"), probe.redis.lrange(q + "wait", 0, -1), "the first chunk stays added");
      assertEquals(0, probe.redis.exists(q + "3"), "nothing of the failing chunk");
    }
  }

  @Test
  void concurrentSingleAddsShareCallsOfAtMostAChunk() {
    try (Queue small = new Queue(RedisProbe.uniqueQueueName(), probe.options().bulkChunkSize(10).build())) {
      small.add("warm-up", null);
      long before = scriptCalls();
      List<java.util.concurrent.CompletableFuture<Job>> adds = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        adds.add(small.addAsync("job", Map.of("i", i)));
      }
      adds.forEach(java.util.concurrent.CompletableFuture::join);
      assertEquals(201, probe.redis.llen("bull:" + small.name() + ":wait"));
      assertTrue(scriptCalls() - before >= 20, "at most 10 jobs per call");
    }
  }

  @Test
  void addBulkIsAtomicPerChunkForAConcurrentReader() throws Exception {
    int n = 5000;
    AtomicBoolean done = new AtomicBoolean();
    Set<Long> seenTotals = ConcurrentHashMap.newKeySet();
    Thread reader = new Thread(() -> {
      try (RedisProbe other = new RedisProbe(server)) {
        // MULTI on the server (on a cluster: the master) holding the queue, on this reader's own connection.
        RedisCommands<String, String> owner = other.direct.nodeFor(k + "wait");
        while (!done.get()) {
          owner.multi();
          owner.llen(k + "wait");
          owner.zcard(k + "prioritized");
          owner.zcard(k + "delayed");
          TransactionResult r = owner.exec();
          seenTotals.add((Long) r.get(0) + (Long) r.get(1) + (Long) r.get(2));
        }
      }
    });
    reader.start();
    try {
      Thread.sleep(50);
      queue.addBulk(mixedSpecs(n));
      Thread.sleep(50);
    } finally {
      done.set(true);
      reader.join(10_000);
    }
    assertTrue(seenTotals.stream().allMatch(t -> t % 1000 == 0), "partial chunk seen: " + seenTotals);
    assertTrue(seenTotals.contains((long) n), "the reader never saw the finished batch: " + seenTotals);
  }

  @Test
  void anInvalidJobAnywhereInTheBatchWritesNothing() {
    List<JobSpec> specs = new ArrayList<>(mixedSpecs(5));
    specs.set(2, new JobSpec(null, Map.of(), null));

    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> queue.addBulk(specs));

    assertEquals("jobs[2].name", e.field());
    assertEquals(0, probe.redis.exists(k + "id", k + "wait", k + "prioritized", k + "delayed", k + "events"));
  }

  @Test
  void tooLargeDataInTheBatchNamesTheJobAndWritesNothing() {
    List<JobSpec> specs = List.of(JobSpec.of("ok", Map.of("a", 1)),
        JobSpec.of("big", Map.of("text", "x".repeat(100)), JobOptions.builder().sizeLimit(50).build()));
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> queue.addBulk(specs));
    assertEquals("jobs[1].data", e.field());
    assertTrue(e.getMessage().contains("sizeLimit 50"), e.getMessage());
    assertEquals(0, probe.redis.exists(k + "id"));
  }

  @Test
  void duplicateIdsInsideOneBatchKeepTheFirstJob() {
    List<Job> jobs = queue.addBulk(List.of(
        JobSpec.of("a", Map.of("n", 1), JobOptions.builder().jobId("same").build()),
        JobSpec.of("b", Map.of("n", 2), JobOptions.builder().jobId("same").build()),
        JobSpec.of("c", null)));
    assertEquals(List.of("same", "same", "3"), jobs.stream().map(Job::id).toList());
    assertEquals("a", jobs.get(1).name());
    assertEquals(List.of("3", "same"), probe.redis.lrange(k + "wait", 0, -1));
    assertEquals(List.of("added", "waiting", "duplicated", "added", "waiting"), probe.eventNames(k + "events"));
  }

  @Test
  void anEmptyBatchDoesNothing() {
    assertEquals(List.of(), queue.addBulk(List.of()));
    assertEquals(0, probe.redis.exists(k + "id"));
  }
}
