package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(RedisTest.TAG)
class RedisClusterTest {

  @Test
  void threeMastersShareTheSlotsAndEachServesItsKeys() throws Exception {
    try (RedisCluster cluster = RedisCluster.builder().masters(3).start();
        Connected redis = Connected.to(cluster)) {
      assertEquals(3, cluster.nodes().size());
      assertEquals(Set.copyOf(cluster.nodes()), Set.copyOf(cluster.masters()));
      Set<RedisProcess> owners = new HashSet<>();
      for (String key : keysOnEveryMaster(cluster)) {
        redis.commands.set(key, "v-" + key);
        assertEquals("v-" + key, redis.commands.get(key));
        RedisProcess owner = cluster.masterFor(key);
        owners.add(owner);
        // The node the test kit names as owner is the one holding the key.
        assertEquals(":1", Resp.command(owner.host(), owner.port(), "EXISTS", key));
      }
      assertEquals(3, owners.size());
      assertEquals(RedisCluster.slotOf("{user1}:a"), RedisCluster.slotOf("{user1}:b"));
    }
  }

  @Test
  void aKilledOrFrozenMasterIsReplacedByItsReplicaAndRejoinsAsReplica() {
    long started = System.nanoTime();
    try (RedisCluster cluster = RedisCluster.builder().masters(3).replicasPerMaster(1)
            .nodeTimeout(Duration.ofMillis(1000)).start();
        Connected redis = Connected.to(cluster)) {
      long joined = System.nanoTime();
      assertEquals(6, cluster.nodes().size());
      assertEquals(3, cluster.masters().size());
      redis.commands.set("survivor", "yes");
      RedisProcess owner = cluster.masterFor("survivor");
      // WAIT: the write reached the replica before the master dies.
      assertEquals(1L, redis.connection.getConnection(owner.host(), owner.port()).sync().waitForReplication(1, 5000));

      owner.kill();
      RedisProcess promoted = cluster.awaitFailover(owner, Duration.ofSeconds(30));
      long failedOver = System.nanoTime();

      assertNotEquals(owner, promoted);
      assertEquals(promoted, cluster.masterFor("survivor"));
      assertFalse(cluster.masters().contains(owner));
      redis.client.refreshPartitions();
      assertEquals("yes", redis.commands.get("survivor"));
      for (String key : keysOnEveryMaster(cluster)) {
        redis.commands.set(key, "after");
      }

      owner.startServer();
      cluster.awaitHealthy(Duration.ofSeconds(30));
      long resynced = System.nanoTime();
      assertEquals(promoted, cluster.masterFor("survivor"));
      assertFalse(cluster.masters().contains(owner), "the old master came back as a replica");

      // A frozen master is failed over too (back to the first one), and rejoins as a replica once thawed.
      promoted.freeze();
      assertEquals(owner, cluster.awaitFailover(promoted, Duration.ofSeconds(30)));
      long frozenOver = System.nanoTime();
      promoted.thaw();
      cluster.awaitHealthy(Duration.ofSeconds(30));
      assertEquals(owner, cluster.masterFor("survivor"));
      redis.client.refreshPartitions();
      assertEquals("yes", redis.commands.get("survivor"));
      System.out.printf("cluster: joined in %d ms, failed over in %d ms, old master resynced in %d ms, "
              + "frozen master failed over in %d ms, thawed one resynced in %d ms%n",
          (joined - started) / 1_000_000, (failedOver - joined) / 1_000_000, (resynced - failedOver) / 1_000_000,
          (frozenOver - resynced) / 1_000_000, (System.nanoTime() - frozenOver) / 1_000_000);
    }
  }

  @Test
  void closingStopsEveryNode() {
    RedisCluster cluster = RedisCluster.builder().masters(3).start();
    List<Long> pids = cluster.nodes().stream().map(RedisProcess::pid).toList();
    cluster.nodes().get(1).freeze();
    cluster.close();
    for (long pid : pids) {
      assertFalse(Resp.alive(pid), "node " + pid + " lives on");
    }
  }

  /** One key per master, found by slot. */
  private static List<String> keysOnEveryMaster(RedisCluster cluster) {
    List<String> keys = new java.util.ArrayList<>();
    Set<RedisProcess> covered = new HashSet<>();
    for (int i = 0; covered.size() < cluster.masters().size(); i++) {
      String key = "key-" + i;
      if (covered.add(cluster.masterFor(key))) {
        keys.add(key);
      }
    }
    assertTrue(keys.size() >= 3);
    return keys;
  }

  /** A Lettuce cluster client on the cluster's seeds. */
  private static final class Connected implements AutoCloseable {
    final RedisClusterClient client;
    final StatefulRedisClusterConnection<String, String> connection;
    final RedisAdvancedClusterCommands<String, String> commands;

    private Connected(RedisClusterClient client) {
      this.client = client;
      this.connection = client.connect();
      this.commands = connection.sync();
    }

    static Connected to(RedisCluster cluster) {
      return new Connected(RedisClusterClient.create(cluster.seedUris().stream().map(RedisURI::create).toList()));
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
