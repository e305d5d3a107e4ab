package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobCancelledException;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.event.WorkerListener;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Cancelling jobs: through Redis from any process, locally on the worker, before they start, with retry. */
@RedisTest
class CancellationTest {
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void cancellingFromThisJvmReachesAJobRunningInAnotherJvm() throws Exception {
    Job job = f.add("long", Map.of(), JobOptions.builder().attempts(3).build());
    String java = ProcessHandle.current().info().command().orElse(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CancelTargetMain.class.getName(), f.server.uri(), f.queueName, "15000")
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
      List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread drain = new Thread(() -> out.lines().forEach(output::add));
      drain.setDaemon(true);
      drain.start();
      WorkerFixture.await(() -> f.queue.getJobState(job.id()) == JobState.ACTIVE, "job active in the other JVM");
      Thread.sleep(200);
      assertTrue(f.queue.cancelJob(job.id(), "user pressed stop"));
      WorkerFixture.await(Duration.ofSeconds(20), () -> f.queue.getJobState(job.id()) == JobState.FAILED,
          () -> "job failed; other JVM said " + output + "; job " + f.hash(job.id()));
      Map<String, String> hash = f.hash(job.id());
      assertEquals("user pressed stop", hash.get("failedReason"));
      assertEquals("1", hash.get("atm"), "no retry although 3 attempts were allowed");
      List<String> logs = f.queue.getJobLogs(job.id()).lines();
      assertEquals(2, logs.size(), "lines written at the finish: " + logs);
      assertTrue(logs.get(0).startsWith("waiting in pid " + other.pid()), logs.get(0));
      assertEquals("saw cancel: user pressed stop", logs.get(1));
      assertFalse(f.queue.cancelJob(job.id(), "again"), "a finished job cannot be cancelled");
    } finally {
      if (!other.waitFor(5, TimeUnit.SECONDS)) {
        other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void workerCancelJobSignalsItsOwnRunningJobOnly(WorkerKind kind) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Job job = f.add("long", Map.of());
    AbstractWorker<?> worker = f.worker(kind, j -> {
      started.countDown();
      AtomicInteger callbacks = new AtomicInteger();
      j.cancellation().onCancel(callbacks::incrementAndGet);
      // The flag is set before the callbacks run: wait for both, then check the callback ran exactly once.
      while (!j.cancellation().isCancelled() || callbacks.get() == 0) {
        Thread.sleep(10);
      }
      assertEquals(1, callbacks.get());
      throw new IllegalStateException("stopped half way");
    });
    worker.addListener(new WorkerListener() {
      @Override
      public void onFailed(Job failed, Throwable error) {
        failure.set(error);
      }
    });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    assertFalse(worker.cancelJob("no-such-job", "x"));
    assertTrue(worker.cancelJob(job.id(), "not needed any more"));
    WorkerFixture.await(() -> f.queue.getJobState(job.id()) == JobState.FAILED, "job failed");
    assertEquals("not needed any more", f.hash(job.id()).get("failedReason"));
    assertTrue(failure.get() instanceof JobCancelledException, String.valueOf(failure.get()));
    assertTrue(failure.get().getCause() instanceof IllegalStateException, "the processor's own error is the cause");
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void aJobCancelledBeforeItStartsFailsWithoutRunning(WorkerKind kind) {
    Job job = f.add("never", Map.of(), JobOptions.builder().attempts(5).build());
    assertTrue(f.queue.cancelJob(job.id(), "changed my mind"));
    AtomicInteger runs = new AtomicInteger();
    f.worker(kind, j -> runs.incrementAndGet());
    WorkerFixture.await(() -> f.queue.getJobState(job.id()) == JobState.FAILED, "job failed");
    assertEquals(0, runs.get());
    assertEquals("changed my mind", f.hash(job.id()).get("failedReason"));
    assertThrows(JobNotFoundException.class, () -> f.queue.cancelJob("missing", "x"));
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void aCancelAskingForRetryRetriesTheJob(WorkerKind kind) throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Job job = f.add("again", Map.of(), JobOptions.builder().attempts(2).build());
    f.worker(kind, j -> {
      if (runs.incrementAndGet() == 1) {
        if (j.cancellation().await(Duration.ofSeconds(10))) {
          j.cancellation().throwIfCancelled();
        }
      }
      return "done";
    });
    WorkerFixture.await(() -> runs.get() == 1 && f.queue.getJobState(job.id()) == JobState.ACTIVE, "running");
    assertTrue(f.queue.cancelJob(job.id(), "restart please", true));
    WorkerFixture.await(() -> f.queue.getJobState(job.id()) == JobState.COMPLETED, "retried and completed");
    assertEquals(2, runs.get());
    assertEquals("", f.hash(job.id()).get("bpcancel"), "the retry was not cancelled again");
  }
}
