package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.Processor;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The producer operations on jobs that a real Bullpen Worker finished. */
@RedisTest
class QueueWithWorkerTest {
  private static void await(BooleanSupplier condition, String what, java.util.function.Supplier<Object> state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + "; " + state.get());
      }
      Thread.sleep(20);
    }
  }

  @Test
  void failedJobsRetriedThroughTheQueueCompleteAndCanThenBeCleaned(RunningRedis redis) throws Exception {
    String name = RedisProbe.uniqueQueueName();
    RedisConfig config = RedisConfig.of(redis.uri());
    AtomicBoolean healthy = new AtomicBoolean(false);
    Processor processor = job -> {
      if (job.name().startsWith("bad") && !healthy.get()) {
        throw new IllegalStateException("not yet");
      }
      return Map.of("done", job.name());
    };
    try (Queue queue = new Queue(name, QueueOptions.of(config));
         Worker worker = new Worker(name, processor, WorkerOptions.builder().redis(config).build())) {
      for (String jobName : List.of("good-1", "bad-1", "good-2", "bad-2", "good-3")) {
        queue.add(jobName, null);
      }
      await(() -> queue.getJobCounts(JobState.COMPLETED, JobState.FAILED)
          .equals(Map.of(JobState.COMPLETED, 3L, JobState.FAILED, 2L)), "3 completed and 2 failed", queue::getJobCounts);

      healthy.set(true);
      assertEquals(2, queue.retryJobs(JobState.FAILED, 10, System.currentTimeMillis()));
      await(() -> queue.getJobCounts(JobState.COMPLETED).get(JobState.COMPLETED) == 5, "all 5 completed", queue::getJobCounts);

      Job bad = queue.getJobs(java.util.Set.of(JobState.COMPLETED), 0, -1, true).stream()
          .filter(j -> j.name().equals("bad-1")).findFirst().orElseThrow();
      assertEquals("{\"done\":\"bad-1\"}", bad.returnValueJson().orElseThrow());
      assertEquals(2, bad.attemptsMade());

      bad.retry();
      await(() -> queue.getJob(bad.id()).orElseThrow().attemptsMade() == 3
          && queue.getJobState(bad.id()) == JobState.COMPLETED, "bad-1 ran again after job.retry()",
          () -> queue.getJob(bad.id()).orElseThrow().rawFields());

      List<String> cleaned = queue.clean(Duration.ZERO, 0, JobState.COMPLETED);
      assertEquals(5, cleaned.size());
      assertTrue(queue.getJobCounts().values().stream().allMatch(n -> n == 0), queue.getJobCounts().toString());
    }
  }
}
