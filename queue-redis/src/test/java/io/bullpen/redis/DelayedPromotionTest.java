package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.scheduler.QueueScheduler;
import io.bullpen.scheduler.QueueSchedulerOptions;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delayed jobs moved to wait when due by a QueueScheduler, with no worker fetching and no reliance on Redis' hz. */
@RedisTest
class DelayedPromotionTest {
  private WorkerFixture f;
  private RedisConfig redis;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
    redis = RedisConfig.of(server.uri());
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private Job addDelayed(long delayMillis) {
    return f.add("d", Map.of(), JobOptions.builder().delay(delayMillis).build());
  }

  /** When the job was moved to wait: the time of its {@code waiting} event (prev delayed). */
  private long promotedAt(String jobId) {
    for (StreamMessage<String, String> m : f.redis.xrange(f.key("events"), Range.create("-", "+"))) {
      if (jobId.equals(m.getBody().get("jobId")) && "delayed".equals(m.getBody().get("prev"))) {
        return Long.parseLong(m.getId().substring(0, m.getId().indexOf('-')));
      }
    }
    throw new AssertionError("job " + jobId + " was not promoted");
  }

  @Test
  void delayedJobMovesToWaitWhenDueWithoutAnyWorker() throws Exception {
    try (QueueScheduler scheduler = QueueSchedulers.start(redis, QueueSchedulerOptions.defaults(), f.queueName)) {
      Job job = addDelayed(400);
      long due = job.timestamp() + 400;
      WorkerFixture.await(() -> f.queue.getJobState(job.id()) == JobState.WAITING, "promotion");
      assertTrue(promotedAt(job.id()) >= due, "not before it is due");
      assertEquals(0.0, f.redis.zscore(f.key("marker"), "0"), "idle workers are woken");
      assertEquals("0", f.hash(job.id()).get("delay"));
    }
    Job later = addDelayed(100);
    Thread.sleep(400);
    assertEquals(JobState.DELAYED, f.queue.getJobState(later.id()), "no scheduler, no worker: it stays delayed");
  }

  @Test
  void jobDueBeforeAnyKnownOneWakesTheSchedulerEarly() {
    try (QueueScheduler scheduler = QueueSchedulers.start(redis, QueueSchedulerOptions.defaults(), f.queueName)) {
      addDelayed(60_000);
      Job soon = addDelayed(300);
      long due = soon.timestamp() + 300;
      WorkerFixture.await(() -> f.queue.getJobState(soon.id()) == JobState.WAITING, "promotion");
      long promoted = promotedAt(soon.id());
      // Without the delayed event the scheduler would only find it when it next reads the queue (5 s).
      assertTrue(promoted >= due && promoted < due + 2_000, "promoted " + (promoted - due) + " ms after due");
    }
  }

  @Test
  void aDelayedJobAmongThousandsOfOtherEventsStillWakesTheSchedulerEarly() {
    try (QueueScheduler scheduler = QueueSchedulers.start(redis, QueueSchedulerOptions.defaults(), f.queueName)) {
      addDelayed(60_000);
      addPlain(2_000);
      Job soon = addDelayed(300);
      addPlain(2_000);
      long due = soon.timestamp() + 300;
      WorkerFixture.await(() -> f.queue.getJobState(soon.id()) == JobState.WAITING, "promotion");
      long promoted = promotedAt(soon.id());
      // The feed skips the other jobs' events and reads the earliest delayed job instead of them.
      assertTrue(promoted >= due && promoted < due + 2_000, "promoted " + (promoted - due) + " ms after due");
    }
  }

  private void addPlain(int count) {
    java.util.List<JobSpec> batch = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(JobSpec.of("plain", Map.of("i", i)));
    }
    f.queue.addBulk(batch);
  }

  @Test
  void onePassPromotesEveryJobDueAtOnce() {
    try (QueueScheduler scheduler = QueueSchedulers.start(redis, QueueSchedulerOptions.defaults(), f.queueName)) {
      for (int i = 0; i < 1500; i += 500) {
        java.util.List<JobSpec> batch = new java.util.ArrayList<>();
        for (int j = 0; j < 500; j++) {
          batch.add(JobSpec.of("d", Map.of("i", i + j), JobOptions.builder().delay(200).build()));
        }
        f.queue.addBulk(batch);
      }
      WorkerFixture.await(() -> f.redis.llen(f.key("wait")) == 1500, "all 1500 in wait");
      assertEquals(0, f.redis.zcard(f.key("delayed")));
    }
  }

  @Test
  void pausedQueueStillGetsItsDueJobsInWaitButNoWakeUp() {
    f.queue.pause();
    try (QueueScheduler scheduler = QueueSchedulers.start(redis, QueueSchedulerOptions.defaults(), f.queueName)) {
      Job job = addDelayed(150);
      WorkerFixture.await(() -> f.queue.getJobState(job.id()) == JobState.WAITING, "promotion");
      assertNull(f.redis.zscore(f.key("marker"), "0"));
    }
  }

  @Test
  void oneStandaloneSchedulerServesSeveralQueues() {
    String other = f.queueName + "-other"; // one scheduler, one slot on a cluster
    try (Queue second = new Queue(other, QueueOptions.of(redis));
        QueueScheduler scheduler = QueueSchedulers.start(redis, "bull", java.util.List.of(f.queueName, other),
            QueueSchedulerOptions.defaults())) {
      Job a = addDelayed(200);
      Job b = second.add("d", Map.of(), JobOptions.builder().delay(250).build());
      WorkerFixture.await(() -> f.queue.getJobState(a.id()) == JobState.WAITING
          && second.getJobState(b.id()) == JobState.WAITING, "both promoted");
      assertEquals(java.util.List.of(f.queueName, other), scheduler.queueNames());
      second.obliterate(true);
    }
  }

  @Test
  void workerRunsAQueueSchedulerByDefault() {
    f.worker(job -> null);
    WorkerFixture.await(() -> f.redis.exists(f.key("stalled-check")) == 1, "the worker's stalled check");
  }

  @Test
  void workerWithoutItsSchedulerRunsNoStalledCheck() throws Exception {
    f.worker(job -> null, f.options().runQueueScheduler(false));
    Thread.sleep(300);
    assertEquals(0, f.redis.exists(f.key("stalled-check")));
  }
}
