package io.bullpen.redis.internal.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.redis.internal.connection.RedisLink;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@RedisTest
class MarkerWaiterTest {
  /**
   * A topology change abandons the wait from Lettuce's threads; had it to wait for a connect in progress, which
   * needs those threads, nothing would move again (seen in the cluster failover test).
   */
  @Test
  void abandoningAWaitDoesNotWaitForAConnectInProgress(RunningRedis redis) throws Exception {
    // On the cluster run the waiter gets a cluster connection, as a worker there does.
    RedisClient client = redis.isCluster() ? null : RedisClient.create(redis.uri());
    RedisClusterClient clusterClient = redis.isCluster()
        ? RedisClusterClient.create(redis.nodeUris().stream().map(io.lettuce.core.RedisURI::create).toList())
        : null;
    CountDownLatch connecting = new CountDownLatch(1);
    CountDownLatch mayConnect = new CountDownLatch(1);
    MarkerWaiter waiter = new MarkerWaiter(() -> {
      connecting.countDown();
      try {
        mayConnect.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return client != null ? RedisLink.of(client.connect()) : RedisLink.of(clusterClient.connect());
    }, () -> { }, "bull:marker-waiter:marker", 50, 1000, Clock.systemUTC());
    Thread waiting = new Thread(() -> waiter.await(0, () -> false), "waiting");
    try {
      waiting.start();
      assertTrue(connecting.await(10, TimeUnit.SECONDS), "the wait began connecting");
      CompletableFuture<Void> abandoned = CompletableFuture.runAsync(waiter::abandonWait);
      try {
        abandoned.get(5, TimeUnit.SECONDS);
      } finally {
        mayConnect.countDown();
      }
      waiting.join(10_000);
      assertFalse(waiting.isAlive(), "the wait ended");
    } finally {
      mayConnect.countDown();
      waiter.close();
      if (client != null) {
        client.shutdown();
      } else {
        clusterClient.shutdown();
      }
    }
  }
}
