package io.bullpen.redis;

import io.bullpen.testkit.RedisProcess;
import io.bullpen.testkit.RedisTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Worker JVMs killed for real while they run jobs: three worker processes share a queue of a few thousand short
 * jobs; every few seconds (counted in completed jobs, not time) the oldest is SIGKILLed mid-job and a new one
 * starts. With short locks and stalled checks the killed workers' jobs come back, and at the end every job is
 * completed exactly once and nothing ran twice unless a kill cut its run short. The kill-to-re-run delays are
 * printed (the test's output file) but not asserted; {@code -DprocessKill.lockMillis=5000} and the other
 * {@link ProcessKillRun.Settings} turn it into the measurement of benchmarks/README.md.
 */
@RedisTest
class WorkerProcessKillTest {
  @Test
  void killedWorkersLoseNoJobAndOnlyTheirJobsInFlightRunAgain() throws Exception {
    ProcessKillRun.Settings settings = ProcessKillRun.Settings.fromSystemProperties();
    String loadBefore = RecoveryDelays.loadAverage();
    try (ProcessKillRun run = new ProcessKillRun(RedisProcess.builder().start(), settings)) {
      run.addJobs();
      for (int i = 0; i < settings.workers(); i++) {
        run.startWorker();
      }
      for (int kill = 1; kill <= settings.kills(); kill++) {
        // Kills spread over the run, the last ones well before its end, each once the previous replacement runs.
        run.awaitCompleted((long) settings.jobs() * kill / (settings.kills() + 2), Duration.ofSeconds(120));
        run.killOneMidJobAndReplace();
      }
      run.awaitCompleted(settings.jobs(), Duration.ofSeconds(120));
      run.stopWorkers();

      ProcessKillCheck.assertEveryJobCompletedOnce(run);
      ProcessKillCheck.assertOnlyJobsInFlightOnAKilledWorkerRanAgain(run);
      System.out.print(RecoveryDelays.of(run).report(settings));
      System.out.println("load average before: " + loadBefore + "; after: " + RecoveryDelays.loadAverage());
    }
  }
}
