package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.bullpen.BullpenException;
import io.bullpen.JobSpec;
import io.bullpen.testkit.RedisProcess;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.StandaloneOnly;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Redis hurt while a worker runs jobs: killed and restarted from its append-only file, frozen, stopped for a
 * while, busy, out of memory. Afterwards nothing is lost, nothing is stuck, no job is in two places, and no job
 * ran twice: the workers here never die, so no job may run again.
 */
@RedisTest
@StandaloneOnly("kills, freezes, restarts and fills single Redis servers of its own (cluster failover: ClusterFailoverTest)")
class RedisFaultTest {
  private static final Duration RECOVERY = Duration.ofSeconds(60);

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void redisKilledAndRestartedFromItsAofMidProcessingReRunsNoJob(WorkerKind kind) throws Exception {
    try (FaultRun run = new FaultRun(RedisProcess.builder().appendOnly().start())) {
      run.addJobs(400).start(kind, 20, o -> o);
      run.awaitRan(60);
      int errorsBefore = run.errors.size();
      run.redis.kill();
      WorkerFixture.await(RECOVERY, () -> run.errors.size() > errorsBefore, () -> "the worker noticed");
      run.redis.startServer();
      run.awaitAllCompleted(RECOVERY);
      run.assertEveryJobRanOnceAndCompleted();
      WorkerHealth health = run.worker().health();
      assertTrue(health.reconnects() >= 1, "reconnect counted: " + health);
      assertTrue(health.running() && health.sinceLastFetch().isPresent(), health.toString());
    }
  }

  @Test
  void redisFrozenForFiveSecondsWithDefaultTimeoutsReRunsNoJob() throws Exception {
    try (FaultRun run = new FaultRun(RedisProcess.builder().start(), Duration.ofSeconds(5))) {
      run.addJobs(400).start(WorkerKind.JOBS, 20, o -> o);
      run.awaitRan(60);
      run.redis.freeze();
      long frozenAt = System.nanoTime();
      WorkerFixture.await(RECOVERY, () -> System.nanoTime() - frozenAt > 5_000_000_000L, () -> "five seconds");
      run.redis.thaw();
      run.awaitAllCompleted(RECOVERY);
      run.assertEveryJobRanOnceAndCompleted();
    }
  }

  /**
   * The moves sent before the freeze time out but run once Redis thaws; the worker sends them again and the
   * repeats are no-ops, so no job waits for its lock to expire or spends a stall count.
   */
  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void aFreezeLongerThanTheCommandTimeoutLeavesNoJobActiveAndSpendsNoStallCount(WorkerKind kind) throws Exception {
    try (FaultRun run = new FaultRun(RedisProcess.builder().start())) {
      run.addJobs(400).start(kind, 20, o -> o);
      run.awaitRan(60);
      int errorsBefore = run.errors.size();
      run.redis.freeze();
      WorkerFixture.await(RECOVERY, () -> run.errors.size() > errorsBefore, () -> "a call timed out");
      long frozenAt = System.nanoTime();
      WorkerFixture.await(RECOVERY, () -> System.nanoTime() - frozenAt > 3_000_000_000L, () -> "three seconds");
      run.redis.thaw();
      // Well within the 30 s lock: a job left active until its lock expired would miss this.
      run.awaitAllCompleted(Duration.ofSeconds(20));
      run.assertEveryJobRanOnceAndCompleted();
    }
  }

  @Test
  void aTenSecondOutageLosesNothingAndReRunsNoJob() throws Exception {
    try (FaultRun run = new FaultRun(RedisProcess.builder().appendOnly().start())) {
      run.addJobs(400).start(WorkerKind.JOBS, 20, o -> o);
      run.awaitRan(60);
      run.redis.stopServer();
      long stoppedAt = System.nanoTime();
      WorkerFixture.await(RECOVERY, () -> System.nanoTime() - stoppedAt > 10_000_000_000L, () -> "ten seconds");
      run.redis.startServer();
      run.awaitAllCompleted(RECOVERY);
      run.assertEveryJobRanOnceAndCompleted();
    }
  }

  @Test
  void aRedisBusyWithASlowCommandDelaysJobsButReRunsNone() throws Exception {
    try (FaultRun run = new FaultRun(RedisProcess.builder().arg("enable-debug-command", "yes").start())) {
      run.addJobs(400).start(WorkerKind.JOBS, 20, o -> o);
      run.awaitRan(60);
      try (RedisClient client = RedisClient.create(run.redis.uri())) {
        StatefulRedisConnection<String, String> slow = client.connect();
        slow.setTimeout(Duration.ofSeconds(10));
        // Redis runs nothing else for three seconds: every call of the worker times out meanwhile.
        slow.sync().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(3));
        slow.close();
      }
      run.awaitAllCompleted(RECOVERY);
      run.assertEveryJobRanOnceAndCompleted();
    }
  }

  /** Meanwhile every call gets {@code BUSY}: Redis did not run it, and the worker sends it again later. */
  @Test
  void aRedisBusyRunningALongScriptRefusesCallsThatTheWorkerRetriesWithoutReRuns() throws Exception {
    try (FaultRun run = new FaultRun(RedisProcess.builder().arg("busy-reply-threshold", "200").start(),
        Duration.ofSeconds(5))) {
      run.addJobs(400).start(WorkerKind.JOBS, 20, o -> o);
      run.awaitRan(60);
      try (RedisClient client = RedisClient.create(run.redis.uri())) {
        StatefulRedisConnection<String, String> busy = client.connect();
        busy.setTimeout(Duration.ofSeconds(10));
        busy.sync().eval("local start = redis.call('TIME') while true do local now = redis.call('TIME')"
            + " if now[1] - start[1] >= 3 then return 1 end end", ScriptOutputType.INTEGER);
        busy.close();
      }
      run.awaitAllCompleted(RECOVERY);
      run.assertEveryJobRanOnceAndCompleted();
      assertTrue(run.errors.stream().anyMatch(e -> String.valueOf(e.getMessage()).contains("BUSY")),
          "the worker met BUSY replies: " + run.errors);
    }
  }

  @Test
  void addingIntoAFullRedisFailsWithAClearErrorAndLeavesNothingHalfWritten() throws Exception {
    try (FaultRun run = new FaultRun(RedisProcess.builder().arg("maxmemory", "4mb")
        .arg("maxmemory-policy", "noeviction").start())) {
      String payload = "x".repeat(20_000);
      BullpenException refused = null;
      int added = 0;
      while (refused == null && added < 10_000) {
        try {
          run.queue.add("big", Map.of("payload", payload));
          added++;
        } catch (BullpenException e) {
          refused = e;
        }
      }
      assertNotNull(refused, "Redis refused an add once full");
      assertTrue(refused.getMessage().contains("OOM") && refused.getMessage().contains("maxmemory"),
          refused.getMessage());
      int addedBeforeFull = added;
      RedisCommands<String, String> r = run.raw();
      // Memory use hovers at the limit, so a later write may fit again; below the data, none does.
      r.configSet("maxmemory", "1mb");
      BullpenException bulk = assertThrows(BullpenException.class, () -> run.queue.addBulk(List.of(
          JobSpec.of("a", Map.of("payload", payload)), JobSpec.of("b", Map.of("payload", payload)))));
      assertTrue(bulk.getMessage().contains("OOM"), bulk.getMessage());

      List<String> waiting = r.lrange(run.key("wait"), 0, -1);
      assertEquals(addedBeforeFull, waiting.size(), "wait holds the jobs whose add succeeded, no more");
      for (String id : waiting) {
        assertTrue(r.hget(run.key(id), "data").contains(payload), "job " + id + " has its data");
      }
      long jobHashes = r.keys(run.key("*")).stream()
          .filter(k -> k.substring(run.key("").length()).matches("\\d+")).count();
      assertEquals(addedBeforeFull, jobHashes, "no job hash without its place in wait");

      r.configSet("maxmemory", "0");
      assertEquals(addedBeforeFull + 1, Integer.parseInt(run.queue.add("after", Map.of()).id()),
          "adds go on once Redis has room, with the next id");
    }
  }
}
