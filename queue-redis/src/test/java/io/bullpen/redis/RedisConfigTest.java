package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import org.junit.jupiter.api.Test;

class RedisConfigTest {
  @Test
  void passwordsAreMaskedInEveryFormLettuceAccepts() {
    assertEquals("redis://:***@127.0.0.1:6379/0", RedisConfig.mask("redis://:secret@127.0.0.1:6379/0"));
    assertEquals("rediss://app:***@redis.example:6380", RedisConfig.mask("rediss://app:s3:cr3t@redis.example:6380"));
    assertEquals("redis://***@host", RedisConfig.mask("redis://secret@host"));
    assertEquals("redis://host:6379?timeout=5s&password=***", RedisConfig.mask("redis://host:6379?timeout=5s&password=x"));
    assertEquals("redis://127.0.0.1:6379", RedisConfig.mask("redis://127.0.0.1:6379"));
  }

  @Test
  void toStringAndBadUriErrorsNeverShowThePassword() {
    RedisConfig config = RedisConfig.of("redis://app:hunter2@127.0.0.1:6379");
    assertFalse(config.toString().contains("hunter2"), config.toString());
    assertEquals("redis://app:***@127.0.0.1:6379", config.maskedUri());
    assertEquals("redis://app:hunter2@127.0.0.1:6379", config.uri(), "the real URI is still there to connect with");
    InvalidOptionException e = assertThrows(InvalidOptionException.class,
        () -> RedisConfig.of("http://app:hunter2@127.0.0.1:6379"));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void aPortThatIsNoNumberIsRejectedAtOnceNamingTheUri() {
    InvalidOptionException e = assertThrows(InvalidOptionException.class,
        () -> RedisConfig.of("redis://app:hunter2@127.0.0.1:notaport/0"));
    assertEquals("uri", e.field());
    assertTrue(e.getMessage().contains("'notaport'"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertThrows(InvalidOptionException.class, () -> RedisConfig.of("redis://127.0.0.1:70000"));
    assertEquals("redis://[::1]:6379", RedisConfig.of("redis://[::1]:6379").uri());
    assertEquals("redis://127.0.0.1", RedisConfig.of("redis://127.0.0.1").uri());
    assertEquals("rediss://h:6380/2?timeout=5s", RedisConfig.of("rediss://h:6380/2?timeout=5s").uri());
  }

  @Test
  void aClusterUriNamesEverySeedWithTheSameCredentials() {
    RedisConfig config = RedisConfig.of("redis-cluster://app:hunter2@10.0.0.1:7000,10.0.0.2:7001/0");
    assertTrue(config.isCluster());
    assertEquals(2, config.clusterSeeds().size());
    assertEquals("10.0.0.2", config.clusterSeeds().get(1).getHost());
    assertEquals(7001, config.clusterSeeds().get(1).getPort());
    assertEquals("app", config.clusterSeeds().get(1).getCredentialsProvider().resolveCredentials().block().getUsername());
    assertEquals("redis-cluster://app:***@10.0.0.1:7000,10.0.0.2:7001/0", config.maskedUri());
    assertTrue(RedisConfig.of("rediss-cluster://10.0.0.1:7000").clusterSeeds().get(0).isSsl());
    assertFalse(RedisConfig.of("redis://127.0.0.1:6379").isCluster());
  }

  @Test
  void aClusterUriWithABadSeedIsRejectedNamingIt() {
    InvalidOptionException port = assertThrows(InvalidOptionException.class,
        () -> RedisConfig.of("redis-cluster://app:hunter2@10.0.0.1:7000,10.0.0.2:x"));
    assertEquals("uri", port.field());
    assertTrue(port.getMessage().contains("'x'"), port.getMessage());
    assertFalse(port.getMessage().contains("hunter2"), port.getMessage());
    InvalidOptionException none = assertThrows(InvalidOptionException.class,
        () -> RedisConfig.of("redis-cluster://app:hunter2@/0"));
    assertTrue(none.getMessage().contains("seed nodes"), none.getMessage());
  }

  @Test
  void badConnectionSettingsAreRejectedNamingThem() {
    assertEquals("clientName", assertThrows(InvalidOptionException.class,
        () -> RedisConfig.builder().clientName("has space")).field());
    assertEquals("reconnectDelayMax", assertThrows(InvalidOptionException.class,
        () -> RedisConfig.builder().reconnectDelayMax(java.time.Duration.ZERO)).field());
    assertEquals("topologyRefreshPeriod", assertThrows(InvalidOptionException.class,
        () -> RedisConfig.builder().topologyRefreshPeriod(java.time.Duration.ofSeconds(-1))).field());
    RedisConfig named = RedisConfig.builder().uri("redis://127.0.0.1:6379").clientName("billing-api").build();
    assertEquals("billing-api", named.clientName().orElseThrow());
  }
}
