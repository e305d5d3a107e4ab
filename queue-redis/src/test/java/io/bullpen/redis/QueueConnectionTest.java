package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bullpen.QueueConnectionException;
import io.bullpen.event.QueueListener;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@RedisTest
class QueueConnectionTest {
  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void unreachableRedisFailsFastWithQueueConnectionException() throws Exception {
    RedisConfig config = RedisConfig.builder()
        .uri("redis://127.0.0.1:" + closedPort())
        .commandTimeout(Duration.ofMillis(500))
        .connectTimeout(Duration.ofMillis(500))
        .build();
    long start = System.nanoTime();
    QueueConnectionException e = assertThrows(QueueConnectionException.class,
        () -> new Queue("q", QueueOptions.of(config)));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 5_000, "took " + millis + " ms");
    assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
  }

  @Test
  void redisGoingAwayAfterConstructionFailsOperationsWithinTheTimeoutAndTellsListeners(RunningRedis redis) {
    assumeTrue(redis.canRestart(), "needs the embedded Redis, which can be stopped");
    RedisConfig config = RedisConfig.builder().uri(redis.uri()).commandTimeout(Duration.ofMillis(800)).build();
    List<Throwable> errors = new ArrayList<>();
    try (Queue queue = new Queue(RedisProbe.uniqueQueueName(), QueueOptions.of(config))) {
      queue.addListener(new QueueListener() {
        @Override
        public void onError(Throwable error) {
          errors.add(error);
        }
      });
      queue.add("before", null);
      redis.stopServer();
      try {
        long start = System.nanoTime();
        assertThrows(QueueConnectionException.class, () -> queue.add("during", null));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5_000, "took " + millis + " ms");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0) instanceof QueueConnectionException);
      } finally {
        redis.startServer();
      }
    }
  }

  @Test
  void redisGoingAwayFailsAsyncFormsWithQueueConnectionExceptionAndTellsListenersOnce(RunningRedis redis)
      throws Exception {
    assumeTrue(redis.canRestart(), "needs the embedded Redis, which can be stopped");
    RedisConfig config = RedisConfig.builder().uri(redis.uri()).commandTimeout(Duration.ofMillis(800)).build();
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Queue queue = new Queue(RedisProbe.uniqueQueueName(), QueueOptions.of(config))) {
      queue.addListener(new QueueListener() {
        @Override
        public void onError(Throwable error) {
          errors.add(error);
        }
      });
      queue.add("before", null);
      redis.stopServer();
      try {
        long start = System.nanoTime();
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
            () -> queue.getJobCountsAsync().get(5, java.util.concurrent.TimeUnit.SECONDS));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getCause() instanceof QueueConnectionException, e.getCause().toString());
        assertTrue(millis < 5_000, "took " + millis + " ms");
        assertEquals(1, errors.size());
        assertTrue(assertThrows(java.util.concurrent.ExecutionException.class,
            () -> queue.limits().getGlobalConcurrencyAsync().get(5, java.util.concurrent.TimeUnit.SECONDS))
            .getCause() instanceof QueueConnectionException);
        assertEquals(2, errors.size());
      } finally {
        redis.startServer();
      }
    }
  }
}
