package io.bullpen.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Worker processes killed for real while they run jobs: three workers share a queue of a few thousand short jobs;
 * every few seconds (counted in completed jobs, not time) the oldest is SIGKILLed mid-job and a new one starts.
 * With short locks and stalled checks the killed workers' jobs come back, and at the end every job is completed
 * exactly once and nothing ran twice unless a kill cut its run short. The kill-to-re-run delays are printed (the
 * test's output file) but not asserted; {@code -DprocessKill.lockMillis=5000} and the other
 * {@link ProcessKillRun.Settings} turn the first test into the measurement of benchmarks/README.md, and
 * {@code -DprocessKill.nodeWorkers=N} makes N of its workers BullMQ's (Node).
 */
@RedisTest
class WorkerProcessKillTest {
  @Test
  void killedWorkersLoseNoJobAndOnlyTheirJobsInFlightRunAgain(RunningRedis redis) throws Exception {
    ProcessKillRun.Settings settings = ProcessKillRun.Settings.fromSystemProperties();
    if (settings.nodeWorkers() > 0) {
      assumeNode();
    }
    run(redis, settings);
  }

  /** Java workers' stalled checks and BullMQ's share the queue's snapshot and guard; kills hit both kinds. */
  @Test
  void killedJavaAndBullmqWorkersOfOneQueueLoseNoJobAndOnlyTheirJobsInFlightRunAgain(RunningRedis redis)
      throws Exception {
    assumeNode();
    run(redis, new ProcessKillRun.Settings(3, 1, 4, 1_500, 3, 2_000, 2_000, 60));
  }

  private static void run(RunningRedis redis, ProcessKillRun.Settings settings) throws Exception {
    String loadBefore = RecoveryDelays.loadAverage();
    try (ProcessKillRun run = new ProcessKillRun(redis, settings)) {
      run.addJobs();
      run.startWorkers();
      for (int kill = 1; kill <= settings.kills(); kill++) {
        // Kills spread over the run, the last ones well before its end, each once the previous replacement runs.
        run.awaitCompleted((long) settings.jobs() * kill / (settings.kills() + 2), Duration.ofSeconds(120));
        run.killOneMidJobAndReplace();
      }
      run.awaitCompleted(run.ids.size(), Duration.ofSeconds(120));
      run.stopWorkers();

      ProcessKillCheck.assertEveryJobCompletedOnce(run);
      ProcessKillCheck.assertOnlyJobsInFlightOnAKilledWorkerRanAgain(run);
      System.out.print(RecoveryDelays.of(run).report(settings));
      System.out.println("load average before: " + loadBefore + "; after: " + RecoveryDelays.loadAverage());
    }
  }

  /** Skips without Node and BullMQ, unless {@code BULLPEN_REQUIRE_NODE=1} (CI) makes them mandatory. */
  private static void assumeNode() {
    boolean available = ProcessKillRun.NODE.isAvailable();
    if (!available && "1".equals(System.getenv("BULLPEN_REQUIRE_NODE"))) {
      throw new AssertionError("BULLPEN_REQUIRE_NODE=1 but Node with bullmq is not available");
    }
    assumeTrue(available, "Skipped: BullMQ workers need Node.js and bullmq installed in interop/node");
  }
}
