package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisTopologyTest {
  @Test
  void standaloneUnlessTheEnvironmentOrPropertySaysCluster() {
    assertEquals(RedisTopology.STANDALONE, RedisTopology.of(null, Map.of()));
    assertEquals(RedisTopology.STANDALONE, RedisTopology.of(" ", Map.of(RedisTopology.ENV, "")));
    assertEquals(RedisTopology.CLUSTER, RedisTopology.of(null, Map.of(RedisTopology.ENV, "cluster")));
    assertEquals(RedisTopology.CLUSTER, RedisTopology.of(null, Map.of(RedisTopology.ENV, " Cluster ")));
  }

  @Test
  void thePropertyWinsOverTheEnvironment() {
    assertEquals(RedisTopology.STANDALONE, RedisTopology.of("standalone", Map.of(RedisTopology.ENV, "cluster")));
    assertEquals(RedisTopology.CLUSTER, RedisTopology.of("cluster", Map.of(RedisTopology.ENV, "standalone")));
  }

  @Test
  void anUnknownTopologyNamesTheSettingAndTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RedisTopology.of(null, Map.of(RedisTopology.ENV, "sentinel")));
    assertTrue(e.getMessage().contains(RedisTopology.ENV) && e.getMessage().contains("'sentinel'"), e.getMessage());
  }

  @Test
  void clusterWithRedisUrlIsRefusedBeforeStartingAnything() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisLauncher.start(
        Map.of(RedisTopology.ENV, "cluster", RedisLauncher.REDIS_URL_ENV, "redis://127.0.0.1:6390"),
        () -> { throw new AssertionError("Docker probed"); }));
    assertTrue(e.getMessage().contains("REDIS_URL"), e.getMessage());
  }
}
