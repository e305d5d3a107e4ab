package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@RedisTest
class QuickstartExampleTest {
  @Test
  void printsHowEachJobEndedAndRedisAgrees(RunningRedis redis) throws Exception {
    String queueName = Printed.uniqueQueueName("quickstart");
    Printed printed = new Printed();

    QuickstartExample.run(redis.uri(), queueName, printed.stream());

    List<String> lines = printed.lines();
    assertEquals(Set.of(
            "job 1 completed: {\"thumbnail\":\"thumbs/cat.jpg\",\"width\":200}",
            "job 2 failed: width must be positive, was 0"),
        Set.copyOf(lines), "printed: " + lines);
    assertEquals(2, lines.size(), "printed: " + lines);
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      Job cat = queue.getJob("1").orElseThrow();
      assertEquals(JobState.COMPLETED, cat.state());
      assertEquals(new QuickstartExample.Rendered("thumbs/cat.jpg", 200),
          cat.returnValue(QuickstartExample.Rendered.class).orElseThrow());
      assertEquals("50", cat.progressJson());
      Job dog = queue.getJob("2").orElseThrow();
      assertEquals(JobState.FAILED, dog.state());
      assertEquals(1, dog.attemptsMade(), "an UnrecoverableError is not retried, though the job had 3 attempts");
    }
  }
}
