package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.FlowNode;
import io.bullpen.IntegrityFinding;
import io.bullpen.IntegrityFinding.Kind;
import io.bullpen.IntegrityReport;
import io.bullpen.JobOptions;
import io.bullpen.Processor;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** queue.integrity(): a healthy queue has no findings; each deliberately broken key is found, the safe ones repaired. */
@RedisTest
class QueueIntegrityTest {
  private final String name = QueueNames.unique("integrity");
  private RedisConfig config;
  private Queue queue;
  private QueueKeys keys;
  private DirectRedis direct;
  private RedisClusterCommands<String, String> redis;

  @BeforeEach
  void open(RunningRedis server) {
    config = RedisConfig.of(server.uri());
    queue = new Queue(name, QueueOptions.of(config));
    keys = new QueueKeys("bull", name);
    direct = DirectRedis.connect(server);
    redis = direct.sync();
  }

  @AfterEach
  void close() {
    queue.obliterate(true);
    queue.close();
    direct.close();
  }

  private static Set<String> kinds(IntegrityReport report) {
    return report.findings().stream().map(f -> f.kind() + " " + f.jobId()).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void aHealthyQueueWithEveryStateAndAFlowHasNoFindings() throws Exception {
    queue.add("a", Map.of());
    queue.add("b", Map.of(), JobOptions.builder().delay(60_000).build());
    queue.add("c", Map.of(), JobOptions.builder().priority(3).build());
    queue.add("d", Map.of(), JobOptions.builder().deduplication(io.bullpen.Deduplication.of("d1")).build());
    try (FlowProducer flows = new FlowProducer(FlowProducerOptions.of(config))) {
      flows.add(FlowNode.builder("parent", name).options(JobOptions.builder().jobId("p").build())
          .child(FlowNode.of("child", name, Map.of())).build());
    }
    queue.addJobLog("1", "a line", 0);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Processor hold = job -> {
      if (job.name().equals("a")) {
        started.countDown();
        release.await(30, TimeUnit.SECONDS);
      }
      return "ok";
    };
    try (Worker worker = new Worker(name, hold, WorkerOptions.builder().redis(config).concurrency(1).build())) {
      assertTrue(started.await(30, TimeUnit.SECONDS), "the worker took job a");
      IntegrityReport whileActive = queue.integrity().check();
      assertEquals(List.of(), whileActive.findings(), "with a job active and locked");
      release.countDown();
    }
    IntegrityReport report = queue.integrity().check();
    assertTrue(report.ok(), () -> report.findings().toString());
    assertTrue(report.jobs() >= 6, "jobs checked: " + report.jobs());
  }

  @Test
  void everyBrokenKeyIsFoundAndTheSafeOnesAreRepaired() {
    queue.add("a", Map.of(), JobOptions.builder().jobId("waiting").build());
    queue.add("b", Map.of(), JobOptions.builder().jobId("twice").build());
    redis.lpush(keys.waitList(), "ghost");                                     // listed, no hash
    redis.zadd(keys.completed(), 1, "twice");                                  // in wait and completed
    redis.set(keys.lockKey("waiting"), "token");                               // a lock on a waiting job
    redis.rpush(keys.logsKey("gone"), "left over");                            // logs of a missing job
    redis.hset(keys.jobKey("lost"), Map.of("name", "x", "data", "{}", "opts", "{}", "timestamp", "1"));  // no state
    redis.hset(keys.jobKey("parent"), Map.of("name", "p", "data", "{}", "opts", "{}", "timestamp", "1"));
    redis.zadd(keys.waitingChildren(), 1, "parent");
    redis.sadd(keys.dependenciesKey("parent"), keys.jobKey("vanished"));      // a child that is gone
    redis.hset(keys.jobKey("stuck"), Map.of("name", "s", "data", "{}", "opts", "{}", "timestamp", "1"));
    redis.zadd(keys.waitingChildren(), 1, "stuck");                            // waits for no child at all
    redis.set(keys.deduplication("d9"), "nobody");                             // dedup of a missing job

    IntegrityReport report = queue.integrity().check();
    assertEquals(new TreeSet<>(List.of("MISSING_HASH ghost", "DUPLICATE_STATE twice", "LOCK_WITHOUT_ACTIVE waiting",
        "ORPHAN_KEY gone", "ORPHAN_JOB lost", "DEPENDENCY_MISSING_CHILD parent", "STUCK_PARENT stuck",
        "DANGLING_DEDUPLICATION d9")), kinds(report));
    IntegrityFinding dependency = report.findings().stream()
        .filter(f -> f.kind() == Kind.DEPENDENCY_MISSING_CHILD).findFirst().orElseThrow();
    assertEquals(keys.jobKey("vanished"), dependency.key());

    List<IntegrityFinding> repaired = queue.integrity().repair(report);
    assertEquals(5, repaired.size(), repaired::toString);
    assertEquals(0, redis.exists(keys.lockKey("waiting"), keys.logsKey("gone"), keys.deduplication("d9")));
    assertEquals(List.of("twice", "waiting"), redis.lrange(keys.waitList(), 0, -1));
    assertEquals(0, redis.scard(keys.dependenciesKey("parent")));

    IntegrityReport after = queue.integrity().check();
    assertEquals(new TreeSet<>(List.of("DUPLICATE_STATE twice", "ORPHAN_JOB lost", "STUCK_PARENT parent",
        "STUCK_PARENT stuck")), kinds(after), "what is not safe to repair stays reported");
  }

  @Test
  void aRepairChecksAgainAndLeavesAFindingThatNoLongerHolds() {
    queue.add("a", Map.of(), JobOptions.builder().jobId("j").build());
    redis.set(keys.lockKey("j"), "token");
    IntegrityReport report = queue.integrity().check();
    assertEquals(Set.of("LOCK_WITHOUT_ACTIVE j"), kinds(report));
    // A worker takes the job between the check and the repair: the lock is now rightful.
    redis.lrem(keys.waitList(), 0, "j");
    redis.lpush(keys.active(), "j");
    assertEquals(List.of(), queue.integrity().repair(report));
    assertEquals("token", redis.get(keys.lockKey("j")));
    redis.lrem(keys.active(), 0, "j");
    redis.lpush(keys.waitList(), "j");
    redis.del(keys.lockKey("j"));
    assertTrue(queue.integrity().check(scanned -> { }).ok());
  }
}
