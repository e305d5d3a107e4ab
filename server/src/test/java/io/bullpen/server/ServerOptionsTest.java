package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.RedisConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {
  private static String field(Runnable r) {
    return assertThrows(InvalidOptionException.class, r::run).field();
  }

  @Test
  void theBuilderRefusesBadValuesAtOnceNamingThem() {
    ServerOptions.Builder b = ServerOptions.builder();
    assertEquals("port", field(() -> b.port(70_000)));
    assertEquals("maxBodyBytes", field(() -> b.maxBodyBytes(10)));
    assertEquals("corsOrigins", field(() -> b.corsOrigins("example.com")));
    assertEquals("versionPollInterval", field(() -> b.versionPollInterval(Duration.ofMinutes(5))));
    assertEquals("cacheTimeToLive", field(() -> b.cacheTimeToLive(Duration.ZERO)));
    assertEquals("host", field(() -> b.host("")));
    assertEquals("redis", field(b::build));
    assertEquals("apiKeys", field(() -> ServerOptions.builder().redis(RedisConfig.of("redis://127.0.0.1:6390"))
        .build()));
  }

  @Test
  void defaultsAreLoopbackNoCorsAndTheDashboardOn() {
    ServerOptions o = ServerOptions.builder().redis(RedisConfig.of("redis://127.0.0.1:6390"))
        .apiKeys(ApiKeys.inMemory()).build();
    assertEquals("127.0.0.1", o.host());
    assertEquals(8080, o.port());
    assertTrue(o.corsOrigins().isEmpty());
    assertTrue(o.dashboard());
    assertTrue(o.discoverQueues());
    assertEquals("bull", o.prefix());
  }
}
