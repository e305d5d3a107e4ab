package io.bullpen.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.RedisConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bullpen.redis.*} become one Redis URI and config; a bad value is reported under its property. No Redis. */
class RedisPropertiesTest {
  @Test
  void nothingSetMeansTheLocalDefaultPort() {
    assertEquals("redis://127.0.0.1:6379", new RedisProperties().toRedisConfig().uri());
  }

  @Test
  void hostPortDatabaseSslAndCredentialsMakeTheUri() {
    RedisProperties p = new RedisProperties();
    p.setHost("redis.internal");
    p.setPort(6380);
    p.setDatabase(2);
    p.setSsl(true);
    p.setUsername("app");
    p.setPassword("s3cret word");
    RedisConfig config = p.toRedisConfig();
    assertEquals("rediss://app:s3cret%20word@redis.internal:6380/2", config.uri());
    assertEquals("rediss://app:***@redis.internal:6380/2", config.maskedUri());
  }

  @Test
  void sentinelAndClusterNodesMakeTheirUris() {
    RedisProperties sentinel = new RedisProperties();
    sentinel.getSentinel().setMaster("jobs");
    sentinel.getSentinel().setNodes(List.of("s1:26379", "s2:26379"));
    assertEquals("redis-sentinel://s1:26379,s2:26379#jobs", sentinel.toRedisConfig().uri());

    RedisProperties cluster = new RedisProperties();
    cluster.getCluster().setNodes(List.of("n1:7000", " n2:7001"));
    cluster.setPassword("pw");
    RedisConfig config = cluster.toRedisConfig();
    assertEquals("redis-cluster://:pw@n1:7000,n2:7001", config.uri());
    assertTrue(config.isCluster());
  }

  @Test
  void limitsReachTheConfig() {
    RedisProperties p = new RedisProperties();
    p.setUri("redis://10.0.0.1:6379");
    p.setCommandTimeout(Duration.ofSeconds(2));
    p.setReplicasToWaitFor(1);
    p.setClientName("billing");
    RedisConfig config = p.toRedisConfig();
    assertEquals(Duration.ofSeconds(2), config.commandTimeout());
    assertEquals(1, config.replicasToWaitFor());
    assertEquals(Duration.ofSeconds(1), config.replicaWaitTimeout());
    assertEquals("billing", config.clientName().orElseThrow());
  }

  @Test
  void aRejectedValueNamesItsProperty() {
    RedisProperties timeout = new RedisProperties();
    timeout.setCommandTimeout(Duration.ZERO);
    InvalidOptionException e = assertThrows(InvalidOptionException.class, timeout::toRedisConfig);
    assertEquals("bullpen.redis.command-timeout", e.field());

    RedisProperties both = new RedisProperties();
    both.setUri("redis://a:6379");
    both.setHost("b");
    assertEquals("bullpen.redis.uri", assertThrows(InvalidOptionException.class, both::toRedisConfig).field());

    RedisProperties noMaster = new RedisProperties();
    noMaster.getSentinel().setNodes(List.of("s1:26379"));
    assertEquals("bullpen.redis.sentinel.master",
        assertThrows(InvalidOptionException.class, noMaster::toRedisConfig).field());

    RedisProperties twice = new RedisProperties();
    twice.setUri("redis://:old@a:6379");
    twice.setPassword("new");
    InvalidOptionException credentials = assertThrows(InvalidOptionException.class, twice::toRedisConfig);
    assertEquals("bullpen.redis.password", credentials.field());
    assertTrue(!credentials.getMessage().contains("old") && !credentials.getMessage().contains("new"),
        credentials.getMessage());

    RedisProperties badPort = new RedisProperties();
    badPort.setPort(70000);
    assertEquals("bullpen.redis.host", assertThrows(InvalidOptionException.class, badPort::toRedisConfig).field());

    RedisProperties halfTls = new RedisProperties();
    halfTls.setSsl(true);
    halfTls.getTls().setCertFile(java.nio.file.Path.of("client.pem"));
    assertEquals("bullpen.redis.tls.cert-file",
        assertThrows(InvalidOptionException.class, halfTls::toRedisConfig).field());
  }
}
