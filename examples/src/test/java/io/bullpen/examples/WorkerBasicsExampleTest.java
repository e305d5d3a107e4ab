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
import org.junit.jupiter.api.Test;

@RedisTest
class WorkerBasicsExampleTest {
  private static final List<String> RECIPIENTS = List.of("ann@example.com", "bob@example.com", "cy@example.com");

  @Test
  void everyEmailFailsOnceIsRetriedAndIsSent(RunningRedis redis) throws Exception {
    String queueName = Printed.uniqueQueueName("worker");
    Printed printed = new Printed();

    WorkerBasicsExample.run(redis.uri(), queueName, printed.stream());

    List<String> lines = printed.lines();
    List<String> ids = List.of("1", "2", "3");
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        String to = RECIPIENTS.get(i);
        Job job = queue.getJob(id).orElseThrow();
        assertEquals(JobState.COMPLETED, job.state());
        assertEquals(2, job.attemptsMade(), "one failed attempt, one that worked");
        assertEquals("50", job.progressJson());
        assertEquals(new WorkerBasicsExample.Receipt(to, 2),
            job.returnValue(WorkerBasicsExample.Receipt.class).orElseThrow());
        List<String> log = List.of("sending to " + to, "sending to " + to, "sent on attempt 2");
        assertEquals(log, queue.getJobLogs(id).lines());
        assertTrue(lines.contains("job " + id + " failed: mail server timed out"), "printed: " + lines);
        assertTrue(lines.contains("job " + id + " sent: Receipt[to=" + to + ", attempt=2]"), "printed: " + lines);
        assertTrue(lines.contains("job " + id + " log: " + log), "printed: " + lines);
      }
    }
    assertEquals(9, lines.size(), "printed: " + lines);
  }
}
