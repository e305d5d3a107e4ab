package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.TlsRedis;
import java.util.List;
import org.junit.jupiter.api.Test;

@RedisTest
class DeploymentExampleTest {
  @Test
  void aWorkerOnATlsRedisRunsTheJobAndReportsItselfHealthy() throws Exception {
    if ("1".equals(System.getenv("BULLPEN_REQUIRE_TLS"))) {
      assertTrue(TlsRedis.isAvailable(), TlsRedis.unavailableReason());
    }
    assumeTrue(TlsRedis.isAvailable(), TlsRedis.unavailableReason());
    try (TlsRedis redis = TlsRedis.builder().start()) {
      Printed printed = new Printed();
      DeploymentExample.run(redis.uri(), redis.certificates().caCertificate(), Printed.uniqueQueueName("deploy"),
          printed.stream());
      List<String> lines = printed.lines();
      assertEquals("job 1 done over TLS", lines.get(0));
      assertTrue(lines.get(1).startsWith("healthy: true (WorkerHealth[running=true"), lines.get(1));
    }
  }
}
