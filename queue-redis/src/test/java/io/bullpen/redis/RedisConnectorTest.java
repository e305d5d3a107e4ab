package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.ClosedException;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.bullpen.testkit.StandaloneOnly;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One connector per process: what its objects share, what they open themselves, and what closing releases. */
@RedisTest
class RedisConnectorTest {

  private static String unique(String base) {
    return QueueNames.tagged(base + "-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** Connections to {@code redis} named {@code tag}, or named as the workers and event readers of {@code queues}. */
  private static long connectionsOf(RunningRedis redis, String tag, List<String> queues) {
    Set<String> names = queues.stream()
        .flatMap(q -> List.of(new QueueKeys("bull", q).workerClientName(null), new QueueKeys("bull", q)
            .queueEventsClientName()).stream())
        .collect(Collectors.toSet());
    names.add(tag);
    try (DirectRedis direct = DirectRedis.connect(redis)) {
      return direct.clientList().lines()
          .map(line -> line.replaceAll(".* name=(\\S*) .*", "$1"))
          .filter(names::contains)
          .count();
    }
  }

  private static Set<Thread> clientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("lettuce-") || t.getName().startsWith("bullpen-"))
        .collect(Collectors.toSet());
  }

  @Test
  @StandaloneOnly("counts one server's connections; a cluster client holds one per node it talks to (the no-leak "
      + "part runs on the cluster in fiftyQueuesAndWorkersLeaveNoThreadOrConnectionBehind)")
  void objectsOnOneConnectorShareItsConnectionsAndOpenOnlyTheirBlockingOnes(RunningRedis redis) throws Exception {
    String tag = unique("shared");
    List<String> queues = List.of(unique("a"), unique("b"), unique("c"));
    List<AutoCloseable> open = new ArrayList<>();
    try (RedisConnector connector = RedisConnector.create(RedisConfig.builder().uri(redis.uri()).clientName(tag)
        .build())) {
      for (String name : queues) {
        open.add(new Queue(name, QueueOptions.builder().connector(connector).build()));
        open.add(new Worker(name, job -> "ok", WorkerOptions.builder().connector(connector).build()));
        open.add(new QueueEvents(name, QueueEventsOptions.builder().connector(connector).build()));
      }
      // Shared: one command and one pub/sub connection. Each worker: its marker wait and its delayed-job feed;
      // each event reader: its stream read. BullMQ opens two per worker and one per queue and event reader.
      long expected = 2 + 2 * queues.size() + queues.size();
      WorkerFixture.await(Duration.ofSeconds(10), () -> connectionsOf(redis, tag, queues) == expected,
          () -> "connections: " + connectionsOf(redis, tag, queues) + ", expected " + expected);
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
      // What the objects opened is closed with them; the connector keeps its shared two.
      WorkerFixture.await(Duration.ofSeconds(10), () -> connectionsOf(redis, tag, queues) == 2,
          () -> "connections after closing the objects: " + connectionsOf(redis, tag, queues));
    }
    WorkerFixture.await(Duration.ofSeconds(10), () -> connectionsOf(redis, tag, queues) == 0,
        () -> "connections after closing the connector: " + connectionsOf(redis, tag, queues));
  }

  @Test
  void fiftyQueuesAndWorkersLeaveNoThreadOrConnectionBehind(RunningRedis redis) throws Exception {
    Set<Thread> before = clientThreads();
    String tag = unique("leak");
    RedisConfig config = RedisConfig.builder().uri(redis.uri()).clientName(tag).build();
    List<String> names = new ArrayList<>();
    try (RedisConnector connector = RedisConnector.create(config)) {
      List<AutoCloseable> open = new ArrayList<>();
      List<Queue> queues = new ArrayList<>();
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String name = QueueNames.tagged(tag + "-" + i);
        names.add(name);
        // Half share the connector, half make their own from the config.
        QueueOptions queueOptions = i % 2 == 0 ? QueueOptions.builder().connector(connector).build()
            : QueueOptions.of(config);
        WorkerOptions workerOptions = i % 2 == 0 ? WorkerOptions.builder().connector(connector).build()
            : WorkerOptions.builder().redis(config).build();
        Queue queue = new Queue(name, queueOptions);
        open.add(queue);
        queues.add(queue);
        open.add(new Worker(name, job -> "done", workerOptions));
        jobs.add(queue.add("job", Map.of("i", i)));
      }
      for (int i = 0; i < 50; i++) {
        Queue queue = queues.get(i);
        String id = jobs.get(i).id();
        WorkerFixture.await(Duration.ofSeconds(30), () -> queue.getJobState(id) == JobState.COMPLETED,
            () -> "job of " + queue.name() + " is " + queue.getJobState(id));
      }
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
    }
    WorkerFixture.await(Duration.ofSeconds(20), () -> {
      Set<Thread> left = clientThreads();
      left.removeAll(before);
      return left.isEmpty();
    }, () -> {
      Set<Thread> left = clientThreads();
      left.removeAll(before);
      return "threads left: " + left.stream().map(Thread::getName).sorted().toList();
    });
    WorkerFixture.await(Duration.ofSeconds(10), () -> connectionsOf(redis, tag, names) == 0,
        () -> "connections left: " + connectionsOf(redis, tag, names));
  }

  @Test
  void theApplicationsClientAndResourcesStayOpenAfterTheConnectorCloses(RunningRedis redis) throws Exception {
    String name = unique("app");
    ClientResources resources = DefaultClientResources.create();
    RedisClient appClient = redis.isCluster() ? null : RedisClient.create(resources);
    RedisClusterClient appClusterClient = redis.isCluster()
        ? RedisClusterClient.create(resources, redis.nodeUris().stream().map(io.lettuce.core.RedisURI::create).toList())
        : null;
    try {
      try (RedisConnector onClient = redis.isCluster()
              ? RedisConnector.using(appClusterClient, RedisConfig.of(redis.uri()))
              : RedisConnector.using(appClient, RedisConfig.of(redis.uri()));
          RedisConnector onResources = RedisConnector.create(RedisConfig.of(redis.uri()), resources);
          Queue queue = new Queue(name, QueueOptions.builder().connector(onClient).build());
          Worker worker = new Worker(name, job -> "ok", WorkerOptions.builder().connector(onResources).build())) {
        Job job = queue.add("job", Map.of());
        WorkerFixture.await(() -> queue.getJobState(job.id()) == JobState.COMPLETED, "job completed");
      }
      assertFalse(resources.eventExecutorGroup().isShuttingDown(), "the application's resources keep running");
      if (redis.isCluster()) {
        try (StatefulRedisClusterConnection<String, String> connection = appClusterClient.connect()) {
          assertEquals("PONG", connection.sync().ping(), "the application's client still connects");
        }
      } else {
        try (StatefulRedisConnection<String, String> connection =
            appClient.connect(io.lettuce.core.RedisURI.create(redis.uri()))) {
          assertEquals("PONG", connection.sync().ping(), "the application's client still connects");
        }
      }
    } finally {
      if (appClient != null) {
        appClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      } else {
        appClusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS).get();
    }
  }

  @Test
  void aClosedConnectorRefusesNewObjects(RunningRedis redis) {
    RedisConnector connector = RedisConnector.create(RedisConfig.of(redis.uri()));
    connector.close();
    connector.close();
    assertThrows(ClosedException.class,
        () -> new Queue(unique("late"), QueueOptions.builder().connector(connector).build()));
  }

  @Test
  void aClientOfTheWrongKindIsRefusedNamingTheSetting(RunningRedis redis) {
    RedisClient standalone = RedisClient.create();
    try {
      InvalidOptionException e = assertThrows(InvalidOptionException.class,
          () -> RedisConnector.using(standalone, RedisConfig.of("redis-cluster://127.0.0.1:7000,127.0.0.1:7001")));
      assertEquals("client", e.field());
      assertTrue(e.getMessage().contains("RedisClusterClient"), e.getMessage());
    } finally {
      standalone.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void givingRedisAfterAConnectorMeansConnectionsOfItsOwn(RunningRedis redis) {
    try (RedisConnector connector = RedisConnector.create(RedisConfig.of(redis.uri()))) {
      RedisConfig other = RedisConfig.of(redis.uri());
      QueueOptions options = QueueOptions.builder().connector(connector).redis(other).build();
      assertTrue(options.connector().isEmpty());
      assertEquals(other, options.redis());
      assertEquals(connector, QueueOptions.builder().redis(other).connector(connector).build().connector()
          .orElseThrow());
    }
  }
}
