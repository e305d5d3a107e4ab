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
class AsyncExampleTest {
  @Test
  void asyncCallsCompleteWithWhatBlockingOnesReturnAndFailWithTheirExceptions(RunningRedis redis) {
    String queueName = Printed.uniqueQueueName("async");
    Printed printed = new Printed();

    List<Map<JobState, Long>> recorded = AsyncExample.run(redis.uri(), queueName, printed.stream());

    List<String> lines = printed.lines();
    assertEquals(Set.of(
            "rejected at once: InvalidOptionException",
            "job 1 is WAITING",
            "promote failed: JobNotFoundException",
            "recorded counts: 1 waiting"),
        Set.copyOf(lines), "printed: " + lines);
    assertEquals(4, lines.size(), "printed: " + lines);
    assertTrue(lines.indexOf("job 1 is WAITING") < lines.indexOf("recorded counts: 1 waiting"),
        "the counts are read after the state: " + lines);
    assertEquals(1, recorded.size());
    assertEquals(1L, recorded.get(0).get(JobState.WAITING));
    assertEquals(0L, recorded.get(0).get(JobState.COMPLETED), "every state is counted: " + recorded.get(0));
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      Job job = queue.getJob("1").orElseThrow();
      assertEquals(JobState.WAITING, job.state());
      assertEquals(new AsyncExample.Thumbnail("dog.jpg", 100), job.data(AsyncExample.Thumbnail.class));
      assertEquals(Map.of(JobState.WAITING, 1L, JobState.DELAYED, 0L, JobState.FAILED, 0L),
          queue.getJobCounts(JobState.WAITING, JobState.DELAYED, JobState.FAILED),
          "only job 1 was stored: the rejected add never reached Redis");
      assertTrue(queue.getJob("2").isEmpty());
    }
  }
}
