package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(RedisTest.TAG)
class RedisSentinelsTest {

  @Test
  void sentinelsNameTheMasterAndPromoteTheReplicaWhenTheMasterIsKilled() {
    long started = System.nanoTime();
    try (RedisSentinels set = RedisSentinels.builder().masterName("orders").start()) {
      long ready = System.nanoTime();
      RedisProcess master = set.master();
      assertEquals(set.servers().get(0), master);
      assertEquals(3, set.sentinelUris().size());
      assertEquals("orders", set.masterName());
      RedisClient client = RedisClient.create();
      try {
        try (StatefulRedisConnection<String, String> redis = client.connect(RedisURI.create(set.uri()))) {
          redis.sync().set("survivor", "yes");
          assertEquals(1L, redis.sync().waitForReplication(1, 5000), "the write reached the replica");
        }

        master.kill();
        RedisProcess promoted = set.awaitNewMaster(master, Duration.ofSeconds(30));
        long failedOver = System.nanoTime();
        assertEquals(set.servers().get(1), promoted);
        assertEquals(promoted, set.master());

        // A new connection through the sentinels reaches the promoted replica, with the data.
        try (StatefulRedisConnection<String, String> redis = client.connect(RedisURI.create(set.uri()))) {
          assertEquals("yes", redis.sync().get("survivor"));
          redis.sync().set("after", "failover");
        }
        System.out.printf("sentinel: ready in %d ms, failed over in %d ms%n",
            (ready - started) / 1_000_000, (failedOver - ready) / 1_000_000);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void aFrozenMasterIsFailedOverAndClosingStopsEveryProcess() {
    RedisSentinels set = RedisSentinels.builder().start();
    List<Long> pids = new ArrayList<>();
    try {
      set.servers().forEach(s -> pids.add(s.pid()));
      set.sentinels().forEach(s -> pids.add(s.pid()));
      RedisProcess master = set.master();
      master.freeze();
      RedisProcess promoted = set.awaitNewMaster(master, Duration.ofSeconds(30));
      assertNotEquals(master, promoted);
    } finally {
      set.close();   // thaws and stops the frozen master too
    }
    assertEquals(5, pids.size());
    for (long pid : pids) {
      assertFalse(Resp.alive(pid), "process " + pid + " lives on");
    }
  }
}
