package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@RedisTest
@TestMethodOrder(OrderAnnotation.class)
class RedisExtensionTest {
  private static RunningRedis fromBeforeAll;
  private final RunningRedis fromConstructor;

  RedisExtensionTest(RunningRedis redis) {
    this.fromConstructor = redis;
  }

  @BeforeAll
  static void rememberLifecycleParameter(RunningRedis redis) {
    fromBeforeAll = redis;
  }

  @Test
  @Order(1)
  void injectsOneSharedServerEverywhere(RunningRedis redis) throws Exception {
    assertSame(fromBeforeAll, redis);
    assertSame(fromConstructor, redis);
    assertSame(RedisExtension.shared(), redis);
    assertTrue(RedisExtension.SHARED.leases() >= 1, "the JUnit run holds no lease");
    assertEquals("+PONG", Resp.command(redis.host(), redis.port(), "PING"));
  }

  @Test
  @Order(2)
  void aTestMayStopTheServer(RunningRedis redis) {
    if (redis.canRestart()) {
      redis.stopServer();
      assertTrue(Resp.refuses(redis.host(), redis.port()));
    }
  }

  @Test
  @Order(3)
  void theNextTestGetsItRunningAgain(RunningRedis redis) {
    assertSame(fromBeforeAll, redis);
    assertTrue(RedisPing.ping(redis.host(), redis.port(), Duration.ofSeconds(1)));
  }
}
