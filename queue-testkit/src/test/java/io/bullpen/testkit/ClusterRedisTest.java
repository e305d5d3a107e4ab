package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The cluster topology's server and the raw access that works on it: keys land on the owning master. */
@Tag("redis")
class ClusterRedisTest {
  @Test
  void launcherStartsAClusterWhoseUriNamesEveryNodeAndDirectRedisRoutesByKey() {
    try (RunningRedis redis = RedisLauncher.start(Map.of(RedisTopology.ENV, "cluster"), () -> false);
        DirectRedis direct = DirectRedis.connect(redis)) {
      assertTrue(redis.isCluster());
      assertEquals(RunningRedis.SOURCE_CLUSTER, redis.source());
      assertEquals(3, redis.nodeUris().size());
      assertTrue(redis.uri().startsWith("redis-cluster://127.0.0.1:"), redis.uri());
      assertEquals(3, redis.uri().split(",").length, redis.uri());
      assertEquals(3, direct.nodes().size());

      Set<Integer> ownersSeen = new HashSet<>();
      for (int i = 0; i < 30; i++) {
        String key = "k" + i;
        direct.sync().set(key, "v" + i);
        RedisCommands<String, String> owner = direct.nodeFor(key);
        assertEquals("v" + i, owner.get(key), "the owning master holds " + key);
        ownersSeen.add(direct.nodes().indexOf(owner));
      }
      assertEquals(3, ownersSeen.size(), "30 keys spread over all three masters");
      assertEquals(30, direct.sync().keys("k*").size(), "KEYS asks every master");
      assertTrue(direct.commandCalls("set") >= 30, "commandstats summed over the masters");
      assertEquals(3, direct.clientList().lines().filter(l -> l.contains(" cmd=client")).count(),
          "CLIENT LIST of every master");
    }
  }

  @Test
  void queueNamesCarryAHashTagOnlyOnACluster() {
    String name = QueueNames.unique("q");
    assertEquals(RedisTopology.isCluster(), name.startsWith("{") && name.endsWith("}"), name);
    assertFalse(name.equals(QueueNames.unique("q")));
    List<String> group = List.of(name + "-parents", name + "-children");
    if (RedisTopology.isCluster()) {
      assertEquals(RedisCluster.slotOf("bull:" + group.get(0) + ":wait"), RedisCluster.slotOf("bull:" + group.get(1) + ":1"));
    }
  }
}
