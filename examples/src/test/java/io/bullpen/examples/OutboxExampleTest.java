package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.outbox.TestPostgres;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import org.junit.jupiter.api.Test;

@RedisTest
class OutboxExampleTest {
  @Test
  void theCommittedOrdersJobIsRelayedAndTheRolledBackOnesIsNot(RunningRedis redis) throws Exception {
    Printed printed = new Printed();
    String table = "example_outbox_" + ProcessHandle.current().pid();

    OutboxExample.run(TestPostgres.shared().dataSource(), redis.uri(), Printed.uniqueQueueName("outbox"), table,
        printed.stream());

    assertEquals(List.of(
        "order 1 committed with its job",
        "order 2 rolled back: the outbox holds 1 row",
        "relayed: order-confirmation {\"orderId\":1}"), printed.lines());
  }
}
