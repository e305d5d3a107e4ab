package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@RedisTest
class ProducerExampleTest {
  @Test
  void jobsWaitWhereTheirOptionsPutThem(RunningRedis redis) {
    String queueName = Printed.uniqueQueueName("producer");
    Printed printed = new Printed();

    ProducerExample.run(redis.uri(), queueName, printed.stream());

    assertEquals(List.of(
        "added job 1 (welcome): {\"to\":\"ann@example.com\"}",
        "added 2 jobs in one call: [3, 4]",
        "waiting 3, prioritized 0, delayed 1"), printed.lines());
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      Job digest = queue.getJob("2").orElseThrow();
      assertEquals(JobState.DELAYED, digest.state());
      assertEquals("{\"day\":\"mon\"}", digest.dataJson());
      assertEquals(5, digest.priority());
      assertEquals(Duration.ofMinutes(10).toMillis(), digest.delay());
      assertEquals(3, digest.options().attempts(), "the queue's default job options apply");
      List<String> waiting = queue.getJobs(Set.of(JobState.WAITING), 0, -1, true).stream().map(Job::id).toList();
      assertEquals(Set.of("1", "3", "4"), Set.copyOf(waiting));
    }
  }
}
