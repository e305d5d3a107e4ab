package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.testkit.RedisCluster;
import io.bullpen.testkit.RedisTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@RedisTest
class ClusterExampleTest {
  @Test
  void twoHashTaggedQueuesOnOneConnectorCompleteTheirJobsOnTheCluster() throws Exception {
    try (RedisCluster cluster = RedisCluster.builder().masters(3).start()) {
      List<String> hosts = new ArrayList<>();
      for (String seed : cluster.seedUris()) {
        hosts.add(seed.substring("redis://".length()));
      }
      Printed printed = new Printed();
      String first = "{" + Printed.uniqueQueueName("emails") + "}";
      String second = "{" + Printed.uniqueQueueName("reports") + "}";
      ClusterExample.run("redis-cluster://" + String.join(",", hosts), first, second, printed.stream());
      assertEquals(List.of(first + ": 3 completed", second + ": 3 completed"), printed.lines());
    }
  }
}
