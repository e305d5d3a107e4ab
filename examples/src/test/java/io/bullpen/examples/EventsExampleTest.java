package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import org.junit.jupiter.api.Test;

@RedisTest
class EventsExampleTest {
  @Test
  void listenersAndWaitsSeeBothOutcomesInStreamOrder(RunningRedis redis) throws Exception {
    Printed printed = new Printed();

    EventsExample.run(redis.uri(), Printed.uniqueQueueName("events"), printed.stream());

    String weekly = "{\"id\":\"weekly-report\",\"pages\":3}";
    assertEquals(List.of(
        "job weekly-report at 50",
        "job weekly-report returned " + weekly,
        "weekly-report finished: " + weekly,
        "job broken-report failed: a report needs pages, got 0",
        "broken-report failed: a report needs pages, got 0"), printed.lines());
  }
}
