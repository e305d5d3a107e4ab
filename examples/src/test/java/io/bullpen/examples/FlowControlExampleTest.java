package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.GroupLimits;
import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

@RedisTest
class FlowControlExampleTest {
  @Test
  void globalLimitsHoldBackClaimsUntilTheyAreRemoved(RunningRedis redis) {
    String queueName = Printed.uniqueQueueName("limits");
    Printed printed = new Printed();

    FlowControlExample.globalLimits(redis.uri(), queueName, printed.stream());

    assertEquals(List.of(
        "Limiter[max=100, durationMillis=60000], concurrency 4",
        "started 4: [1, 2, 3, 4]",
        "window reopens in at most 5 s",
        "started 0: []",
        "started 6: [5, 6, 7, 8, 9, 10]"), printed.lines());
    try (Queue queue = queue(redis, queueName)) {
      assertEquals(Map.of(JobState.COMPLETED, 10L, JobState.WAITING, 0L, JobState.ACTIVE, 0L),
          queue.getJobCounts(JobState.COMPLETED, JobState.WAITING, JobState.ACTIVE));
      assertEquals(Optional.empty(), queue.limits().getGlobalRateLimit());
      assertEquals(OptionalInt.empty(), queue.limits().getGlobalConcurrency());
    }
    try (RawRedis raw = new RawRedis(redis.uri())) {
      Map<String, String> meta = raw.commands().hgetall(RawRedis.key(queueName, "meta"));
      assertTrue(!meta.containsKey("max") && !meta.containsKey("duration") && !meta.containsKey("concurrency"),
          "the limits are gone from meta: " + meta);
    }
  }

  @Test
  void groupLimitsHoldUnderAWorkerAndCanBeRemoved(RunningRedis redis) throws Exception {
    String queueName = Printed.uniqueQueueName("groups");
    Printed printed = new Printed();

    FlowControlExample.groupLimits(redis.uri(), queueName, printed.stream());

    assertEquals(List.of(
        "customer-42: 4 waiting, GroupLimits[rate=Limiter[max=100, durationMillis=60000], concurrency=2]",
        "5 charges done; customer-42 never had more than 2 at once: true",
        "customer-42: Optional.empty, defaults GroupLimits[rate=Limiter[max=10, durationMillis=1000], "
            + "concurrency=null]"), printed.lines());
    try (Queue queue = queue(redis, queueName)) {
      assertEquals(5L, queue.getJobCounts(JobState.COMPLETED).get(JobState.COMPLETED));
      assertEquals(0, queue.limits().getGroupWaitingCount("customer-42"));
      assertEquals(Optional.of(GroupLimits.rate(10, 1_000)), queue.limits().getDefaultGroupLimits());
      assertEquals(Optional.empty(), queue.limits().getGroupLimits("customer-42"));
      assertEquals(List.of("charged"), queue.getJobLogs("1").lines());
    }
  }

  @Test
  void aDeduplicationIdAbsorbsDuplicatesAndADebounceKeepsTheLastAdd(RunningRedis redis) {
    String queueName = Printed.uniqueQueueName("dedup");
    Printed printed = new Printed();

    FlowControlExample.deduplication(redis.uri(), queueName, printed.stream());

    assertEquals(List.of(
        "added job 1, then got job 1 back; sync-user-7 owned by job 1",
        "after removeDeduplicationKey: job 3",
        "autosave: job 5 replaced job 4"), printed.lines());
    // The absorbed add took id 2 from the counter all the same, as in BullMQ, so no job 2 exists.
    try (Queue queue = queue(redis, queueName)) {
      assertEquals(Map.of(JobState.WAITING, 2L, JobState.DELAYED, 1L),
          queue.getJobCounts(JobState.WAITING, JobState.DELAYED));
      assertTrue(queue.getJob("2").isEmpty());
      assertEquals(Optional.of("3"), queue.limits().getDeduplicationJobId("sync-user-7"));
      assertTrue(queue.getJob("4").isEmpty(), "the replaced draft is gone");
      Job latest = queue.getJob("5").orElseThrow();
      assertEquals(JobState.DELAYED, latest.state());
      assertEquals(new FlowControlExample.Draft(9, "v2"), latest.data(FlowControlExample.Draft.class));
      assertEquals(Optional.of("5"), queue.limits().getDeduplicationJobId("autosave-9"));
    }
  }

  @Test
  void cancelledExportsFailWithTheirReasonAndAreNotRetried(RunningRedis redis) throws Exception {
    String queueName = Printed.uniqueQueueName("exports");
    Printed printed = new Printed();

    FlowControlExample.cancellation(redis.uri(), queueName, printed.stream());

    assertEquals(List.of(
        "job 1 failed: user pressed stop",
        "job 2 failed: shutting down this one",
        "job 3 failed: maintenance",
        "cancelling job 1 again: false"), printed.lines());
    try (Queue queue = queue(redis, queueName)) {
      assertEquals(Map.of(JobState.FAILED, 3L, JobState.WAITING, 0L, JobState.DELAYED, 0L, JobState.ACTIVE, 0L),
          queue.getJobCounts(JobState.FAILED, JobState.WAITING, JobState.DELAYED, JobState.ACTIVE));
      for (String id : List.of("1", "2", "3")) {
        Job job = queue.getJob(id).orElseThrow();
        assertEquals(1, job.attemptsMade(), "job " + id + " had 3 attempts but a cancel is not retried");
        int page = Integer.parseInt(job.progressJson());
        assertTrue(page >= 1 && page < 1_000_000, "job " + id + " stopped part way, at page " + page);
      }
    }
  }

  @Test
  void aRouterRunsEachNameWithItsHandlerAndFailsUnknownNames(RunningRedis redis) throws Exception {
    String queueName = Printed.uniqueQueueName("images");
    Printed printed = new Printed();

    FlowControlExample.routing(redis.uri(), queueName, printed.stream());

    assertEquals(List.of(
        "job 1 (resize) COMPLETED: \"cat.jpg at 100 px\"",
        "job 2 (crop) COMPLETED: \"dog.jpg cropped to 50x50\"",
        "job 3 (rotate) FAILED: no handler for job name \"rotate\" (job 3); this worker handles [crop, resize]"),
        printed.lines());
    try (Queue queue = queue(redis, queueName)) {
      assertEquals(Map.of(JobState.COMPLETED, 2L, JobState.FAILED, 1L),
          queue.getJobCounts(JobState.COMPLETED, JobState.FAILED));
      assertEquals(1, queue.getJob("3").orElseThrow().attemptsMade());
    }
  }

  @Test
  void theWholeProgramRunsEverySectionOnItsOwnQueue(RunningRedis redis) throws Exception {
    String queueName = Printed.uniqueQueueName("flow-control");
    Printed printed = new Printed();

    FlowControlExample.run(redis.uri(), queueName, printed.stream());

    assertEquals(5 + 3 + 3 + 4 + 3, printed.lines().size(), "printed: " + printed.lines());
    try (Queue queue = queue(redis, queueName + "-images")) {
      assertEquals(2L, queue.getJobCounts(JobState.COMPLETED).get(JobState.COMPLETED));
    }
  }

  private static Queue queue(RunningRedis redis, String name) {
    return new Queue(name, QueueOptions.of(RedisConfig.of(redis.uri())));
  }
}
