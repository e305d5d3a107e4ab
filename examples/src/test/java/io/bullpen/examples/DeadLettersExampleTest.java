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
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@RedisTest
class DeadLettersExampleTest {
  @Test
  void aPaymentThatFailedForGoodIsDeadLetteredThenReplayedAndPaid(RunningRedis redis) throws Exception {
    String queueName = Printed.uniqueQueueName("payments");
    String deadLetterQueue = queueName + "-dead";
    Printed printed = new Printed();

    DeadLettersExample.run(redis.uri(), queueName, deadLetterQueue, printed.stream());

    assertEquals(List.of(
        "dead letter 1 in " + deadLetterQueue + ": job 1 of bull:" + queueName
            + ", \"gateway unavailable\", 2 attempts",
        "replayed 1; dead letters left: 0",
        "job 1 completed: paid card-4242 19.99"), printed.lines());
    RedisConfig config = RedisConfig.of(redis.uri());
    try (Queue payments = new Queue(queueName, QueueOptions.of(config));
        Queue dead = new Queue(deadLetterQueue, QueueOptions.of(config))) {
      Job payment = payments.getJob("1").orElseThrow();
      assertEquals(JobState.COMPLETED, payment.state());
      assertEquals("\"paid card-4242 19.99\"", payment.returnValueJson().orElseThrow());
      assertEquals(1, payment.attemptsMade(), "a replay resets the attempts; the replayed attempt worked");
      assertEquals(Optional.of(deadLetterQueue), payments.deadLetters().getQueue());
      assertEquals(Map.of(JobState.FAILED, 0L, JobState.COMPLETED, 1L),
          payments.getJobCounts(JobState.FAILED, JobState.COMPLETED));
      assertTrue(dead.getJobs(Set.of(JobState.FAILED, JobState.WAITING, JobState.COMPLETED), 0, -1, true)
          .isEmpty(), "the replayed copy is deleted");
    }
  }
}
