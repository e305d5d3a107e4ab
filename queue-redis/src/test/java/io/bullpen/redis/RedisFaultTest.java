package io.bullpen.redis;


import io.bullpen.testkit.RedisProcess;
import io.bullpen.testkit.RedisTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Redis hurt while a worker runs jobs: killed and restarted from its append-only file, frozen, stopped for a
 * while, busy, out of memory. Afterwards nothing is lost, nothing is stuck, no job is in two places, and no job
 * ran twice: the workers here never die, so no job may run again.
 */
@RedisTest
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
}
