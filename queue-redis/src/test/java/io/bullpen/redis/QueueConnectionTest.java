package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bullpen.Job;
import io.bullpen.QueueConnectionException;
import io.bullpen.event.QueueListener;
import io.bullpen.testkit.RedisProcess;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.StandaloneOnly;
import io.bullpen.testkit.RunningRedis;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

@RedisTest
@StandaloneOnly("passwords, ACL users and outages of single servers: its own, or the shared one stopped and restarted")
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
  void aWrongPasswordFailsWithTheServersReasonFirstAndThePasswordMasked() {
    try (RedisProcess server = RedisProcess.builder().arg("requirepass", "right-secret").start()) {
      String uri = "redis://:wrong-secret@127.0.0.1:" + server.port();
      RedisConfig config = RedisConfig.builder().uri(uri).connectTimeout(Duration.ofSeconds(2)).build();
      QueueConnectionException e = assertThrows(QueueConnectionException.class,
          () -> new Queue("q", QueueOptions.of(config)));
      assertTrue(e.getMessage().startsWith("WRONGPASS"), e.getMessage());
      assertTrue(e.getMessage().contains("redis://:***@127.0.0.1:" + server.port()), e.getMessage());
      assertFalse(e.getMessage().contains("wrong-secret"), e.getMessage());
      assertFalse(config.toString().contains("wrong-secret"), config.toString());
      QueueConnectionException worker = assertThrows(QueueConnectionException.class,
          () -> new Worker("q", job -> null, WorkerOptions.builder().redis(config).build()).close());
      assertTrue(worker.getMessage().startsWith("WRONGPASS"), worker.getMessage());
      assertFalse(worker.getMessage().contains("wrong-secret"), worker.getMessage());
    }
  }

  @Test
  void withAStartupWaitAQueueConnectsOnceRedisComesUp() throws Exception {
    try (RedisProcess server = RedisProcess.builder().start()) {
      server.stopServer();
      RedisConfig config = RedisConfig.builder().uri(server.uri()).connectTimeout(Duration.ofMillis(500))
          .startupWait(Duration.ofSeconds(30)).build();
      CompletableFuture<Queue> opened = CompletableFuture.supplyAsync(
          () -> new Queue(RedisProbe.uniqueQueueName(), QueueOptions.of(config)));
      // Without a startup wait the constructor fails at once (unreachableRedisFailsFast...); here it keeps trying.
      assertThrows(TimeoutException.class, () -> opened.get(700, TimeUnit.MILLISECONDS),
          "still trying while Redis is down");
      server.startServer();
      try (Queue queue = opened.get(30, TimeUnit.SECONDS)) {
        assertEquals("1", queue.add("after-start", null).id());
      }
    }
  }

  @Test
  void aStartupWaitDoesNotWaitForAWrongPassword() {
    try (RedisProcess server = RedisProcess.builder().arg("requirepass", "right-secret").start()) {
      RedisConfig config = RedisConfig.builder().uri("redis://:wrong@127.0.0.1:" + server.port())
          .startupWait(Duration.ofSeconds(60)).build();
      long start = System.nanoTime();
      QueueConnectionException e = assertThrows(QueueConnectionException.class,
          () -> new Queue("q", QueueOptions.of(config)));
      assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 10, "failed at once");
      assertTrue(e.getMessage().startsWith("WRONGPASS"), e.getMessage());
    }
  }

  @Test
  void anAclUserWithAPasswordRunsJobsEndToEnd() throws Exception {
    try (RedisProcess server = RedisProcess.builder().arg("requirepass", "admin-secret")
        .arg("user", "app", "on", ">app-secret", "~*", "&*", "+@all").start()) {
      RedisConfig config = RedisConfig.of("redis://app:app-secret@127.0.0.1:" + server.port());
      assertEquals("hi app", RedisProbe.runOneJob(config, "app"));
    }
  }

  /** Instead of starting and then failing with NOPERM on every call, the worker refuses to start, once. */
  @Test
  void aWorkerWhoseAclUserLacksANeededRightFailsAtStartNamingWhatIsMissing() {
    try (RedisProcess server = RedisProcess.builder().arg("requirepass", "admin-secret")
        .arg("user", "noxadd", "on", ">pw", "~*", "&*", "+@all", "-xadd")
        .arg("user", "elsewhere", "on", ">pw", "~other:*", "&*", "+@all").start()) {
      String queueName = RedisProbe.uniqueQueueName();
      QueueConnectionException noXadd = assertThrows(QueueConnectionException.class, () -> new Worker(queueName,
          job -> null, WorkerOptions.builder().redis(RedisConfig.of("redis://noxadd:pw@127.0.0.1:" + server.port()))
              .build()).close());
      assertTrue(noXadd.getMessage().startsWith("NOPERM"), noXadd.getMessage());
      assertTrue(noXadd.getMessage().contains("XADD"), noXadd.getMessage());
      assertFalse(noXadd.getMessage().contains("HSET"), noXadd.getMessage());
      assertFalse(noXadd.getMessage().contains(":pw@"), "password masked: " + noXadd.getMessage());

      QueueConnectionException otherKeys = assertThrows(QueueConnectionException.class, () -> new Worker(queueName,
          job -> null, WorkerOptions.builder().redis(RedisConfig.of("redis://elsewhere:pw@127.0.0.1:"
              + server.port())).build()).close());
      assertTrue(otherKeys.getMessage().contains("EVALSHA") && otherKeys.getMessage().contains("BZPOPMIN"),
          otherKeys.getMessage());
      assertTrue(otherKeys.getMessage().contains("~bull:" + queueName + ":*"), otherKeys.getMessage());
    }
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
