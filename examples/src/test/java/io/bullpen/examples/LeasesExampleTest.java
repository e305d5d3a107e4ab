package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@RedisTest
class LeasesExampleTest {
  @Test
  void theRelaySettlesWhatItClaimedAndEveryCallLeavesBullmqState(RunningRedis redis) {
    String queueName = Printed.uniqueQueueName("leases");
    Printed printed = new Printed();

    LeasesExample.run(redis.uri(), queueName, printed.stream());

    assertEquals(List.of(
        "claimed [1, 2, 3]",
        "acked [1, 3], failed [2]",
        "acked [4], lost []",
        "job 1: COMPLETED, attempts made 1",
        "job 2: DELAYED, attempts made 1",
        "job 3: COMPLETED, attempts made 1",
        "job 4: COMPLETED, attempts made 1",
        "job 5: DELAYED, attempts made 1",
        "job 6: WAITING, attempts made 0",
        "job 7: ACTIVE, attempts made 0"), printed.lines());
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      assertEquals(Map.of(JobState.COMPLETED, 3L, JobState.DELAYED, 2L, JobState.WAITING, 1L, JobState.ACTIVE, 1L),
          queue.getJobCounts(JobState.COMPLETED, JobState.DELAYED, JobState.WAITING, JobState.ACTIVE));
      assertEquals("\"orders@0\"", queue.getJob("1").orElseThrow().returnValueJson().orElseThrow());
      assertEquals("\"invoices@1\"", queue.getJob("3").orElseThrow().returnValueJson().orElseThrow());
      assertEquals("\"sent\"", queue.getJob("4").orElseThrow().returnValueJson().orElseThrow());
      Job refund = queue.getJob("2").orElseThrow();
      assertEquals("no topic refunds", refund.failedReason().orElseThrow());
      assertTrue(refund.stacktrace().get(0).contains("IllegalArgumentException"), refund.stacktrace().toString());
      assertEquals("broker unavailable", queue.getJob("5").orElseThrow().failedReason().orElseThrow());
      assertEquals(1, queue.getJob("7").orElseThrow().attemptsStarted());
      assertEquals(List.of("6"), queue.getJobs(Set.of(JobState.WAITING), 0, -1, true).stream().map(Job::id).toList());
    }
    try (RawRedis raw = new RawRedis(redis.uri())) {
      String lock = RawRedis.key(queueName, "7:lock");
      assertEquals("relay-1", raw.commands().get(lock), "job 7 is still held by the relay");
      long ttl = raw.commands().pttl(lock);
      assertTrue(ttl > 30_000 && ttl <= 60_000, "its 30 s lease was extended to a minute: " + ttl + " ms left");
      assertEquals(0, raw.commands().exists(RawRedis.key(queueName, "1:lock")), "an ack releases the lock");
    }
  }
}
