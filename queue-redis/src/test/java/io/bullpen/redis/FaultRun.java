package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.event.WorkerListener;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisProcess;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One fault scenario: a Redis process of the test's own, a queue of jobs and a worker that counts how often each
 * job ran; the test hurts Redis while the jobs run, then {@link #assertEveryJobRanOnceAndCompleted} checks the
 * invariants: nothing lost, nothing stuck, no job in two places, no re-run, no stall, one completed event each.
 */
final class FaultRun implements AutoCloseable {
  final RedisProcess redis;
  final String queueName = QueueNames.unique("fault");
  final Queue queue;
  final List<String> ids = new ArrayList<>();
  final ConcurrentMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  final List<String> stalled = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final AtomicInteger finished = new AtomicInteger();
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final Duration commandTimeout;
  private AbstractWorker<?> worker;

  /** With commands that fail within a second while Redis is hurt. */
  FaultRun(RedisProcess redis) {
    this(redis, Duration.ofSeconds(1));
  }

  FaultRun(RedisProcess redis, Duration commandTimeout) {
    this.redis = redis;
    this.commandTimeout = commandTimeout;
    this.queue = new Queue(queueName, QueueOptions.of(config()));
    this.client = RedisClient.create(redis.uri());
    this.connection = client.connect();
  }

  /** The run's command timeout; Lettuce reconnects by itself once Redis is back. */
  RedisConfig config() {
    return RedisConfig.builder().uri(redis.uri()).commandTimeout(commandTimeout)
        .connectTimeout(Duration.ofMillis(500)).build();
  }

  /** Raw access on a connection of the test's own; only while Redis answers. */
  RedisCommands<String, String> raw() {
    return connection.sync();
  }

  FaultRun addJobs(int count) {
    for (int i = 0; i < count; i++) {
      ids.add(queue.add("job", Map.of("n", i)).id());
    }
    return this;
  }

  /** Starts a worker of {@code kind}; each job takes {@code workMillis} (its workload, not a wait). */
  FaultRun start(WorkerKind kind, long workMillis, UnaryOperator<WorkerOptions.Builder> options) {
    WorkerOptions.Builder builder = WorkerOptions.builder().redis(config()).concurrency(8);
    worker = kind.start(queueName, job -> {
      runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
      Thread.sleep(workMillis);
      return job.id();
    }, options.apply(builder).build());
    worker.addListener(new WorkerListener() {
      @Override
      public void onCompleted(Job job, Object result) {
        finished.incrementAndGet();
      }

      @Override
      public void onStalled(String jobId) {
        stalled.add(jobId);
      }

      @Override
      public void onError(Throwable error) {
        errors.add(error);
      }
    });

    return this;
  }

  AbstractWorker<?> worker() {
    return worker;
  }

  int ran() {
    return runs.size();
  }

  int completedHere() {
    return finished.get();
  }

  void awaitRan(int count) {
    WorkerFixture.await(Duration.ofSeconds(60), () -> ran() >= count, () -> ran() + " of " + count + " jobs ran");
  }

  /** Waits until every job is in {@code completed}; Redis must be answering again. */
  void awaitAllCompleted(Duration timeout) {
    WorkerFixture.await(timeout, () -> completedCount() == ids.size(),
        () -> completedCount() + " of " + ids.size() + " jobs completed; errors: " + errors);
  }

  private long completedCount() {
    try {
      return raw().zcard(key("completed"));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  String key(String suffix) {
    return "bull:" + queueName + ":" + suffix;
  }

  void assertEveryJobRanOnceAndCompleted() {
    RedisCommands<String, String> r = raw();
    assertEquals(ids.size(), r.zcard(key("completed")), "completed");
    for (String place : List.of("wait", "active", "paused")) {
      assertEquals(0, r.llen(key(place)), place + " is empty");
    }
    for (String place : List.of("prioritized", "delayed", "failed", "waiting-children")) {
      assertEquals(0, r.zcard(key(place)), place + " is empty");
    }
    assertEquals(List.of(), r.keys(key("*:lock")), "no lock is left");
    Map<String, Integer> reRuns = new TreeMap<>();
    runs.forEach((id, count) -> {
      if (count.get() != 1) {
        reRuns.put(id, count.get());
      }
    });
    assertEquals(Map.of(), reRuns, "jobs that ran more than once");
    assertEquals(ids.size(), runs.size(), "every job ran");
    assertEquals(List.of(), stalled, "no job counted as stalled");
    Map<String, Integer> completedEvents = new TreeMap<>();
    for (StreamMessage<String, String> m : r.xrange(key("events"), Range.create("-", "+"))) {
      if ("completed".equals(m.getBody().get("event"))) {
        completedEvents.merge(m.getBody().get("jobId"), 1, Integer::sum);
      }
    }
    for (String id : ids) {
      assertEquals(1, completedEvents.getOrDefault(id, 0), "completed events of job " + id);
      Map<String, String> hash = r.hgetall(key(id));
      assertTrue(hash.getOrDefault("stc", "0").equals("0"), "job " + id + " spent no stall count: " + hash);
      assertEquals("1", hash.get("atm"), "job " + id + " made one attempt");
    }
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close(true);
    }
    queue.close();
    connection.close();
    io.bullpen.redis.internal.connection.RedisConnections.shutdown(client);
    redis.close();
  }
}
