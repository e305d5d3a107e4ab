package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import org.junit.jupiter.api.Test;

@RedisTest
class ObservabilityExampleTest {
  @Test
  void oneJobIsCountedTracedAndKeptInBullmqsMetrics(RunningRedis redis) throws Exception {
    String queueName = Printed.uniqueQueueName("welcome-mail");
    Printed printed = new Printed();

    ObservabilityExample.run(redis.uri(), queueName, printed.stream());

    assertEquals(List.of("completed 1, failed 0, started 1",
        "spans: send " + queueName + ", settle " + queueName + ", process " + queueName,
        "bullmq metrics: 1 completed"), printed.lines());
  }
}
