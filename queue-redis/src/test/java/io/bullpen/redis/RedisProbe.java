package io.bullpen.redis;

import io.bullpen.Job;
import io.bullpen.event.WorkerListener;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plain Redis connection for tests: reads raw keys to check the wire layout, and puts jobs into states that
 * only a worker reaches (active, completed, failed) by writing those states directly.
 */
final class RedisProbe implements AutoCloseable {
  /** Raw access on either topology; {@link #direct} for what is per server (CLIENT LIST, INFO). */
  final DirectRedis direct;
  final RedisClusterCommands<String, String> redis;
  final String uri;

  RedisProbe(RunningRedis running) {
    this.uri = running.uri();
    this.direct = DirectRedis.connect(running);
    this.redis = direct.sync();
  }

  /**
   * Adds one job named {@code name} to a new queue over {@code config} and runs it with a worker on the same
   * config; returns the worker's result, {@code "hi <name>"}.
   */
  static Object runOneJob(RedisConfig config, String name) throws Exception {
    String queueName = uniqueQueueName();
    CompletableFuture<Object> done = new CompletableFuture<>();
    try (Queue queue = new Queue(queueName, QueueOptions.of(config));
        Worker worker = new Worker(queueName, job -> "hi " + job.name(), WorkerOptions.builder().redis(config).build())) {
      worker.addListener(new WorkerListener() {
        @Override
        public void onCompleted(Job job, Object result) {
          done.complete(result);
        }
      });
      queue.add(name, null);
      return done.get(30, TimeUnit.SECONDS);
    }
  }

  static String uniqueQueueName() {
    return QueueNames.unique("q");
  }

  QueueOptions.Builder options() {
    return QueueOptions.builder().redis(RedisConfig.of(uri));
  }

  /** One stream entry: the event name and the remaining fields in stream order. */
  record Event(String name, Map<String, String> fields) {
    String get(String field) {
      return fields.get(field);
    }
  }

  /** Every entry of the queue's event stream, oldest first; checks that each one starts with `event`. */
  List<Event> events(String key) {
    List<Event> events = new ArrayList<>();
    for (StreamMessage<String, String> message : redis.xrange(key, Range.create("-", "+"))) {
      Map<String, String> body = message.getBody();
      String first = body.keySet().iterator().next();
      if (!"event".equals(first)) {
        throw new AssertionError("stream entry " + message.getId() + " does not start with `event`: " + body);
      }
      events.add(new Event(body.get("event"), body));
    }
    return events;
  }

  List<String> eventNames(String key) {
    return events(key).stream().map(Event::name).toList();
  }

  /** Moves a waiting job to active with a lock, as a worker's fetch would. */
  void activate(String prefix, String queue, String jobId, String token, long now) {
    String k = prefix + ":" + queue + ":";
    takeOutOfWaiting(k, jobId);
    redis.lpush(k + "active", jobId);
    redis.hset(k + jobId, Map.of("processedOn", Long.toString(now), "ats", "1"));
    if (token != null) {
      redis.psetex(k + jobId + ":lock", 60_000, token);
    }
  }

  /** Finishes a waiting or active job directly into completed or failed at {@code finishedOn}. */
  void finish(String prefix, String queue, String jobId, boolean completed, long finishedOn) {
    String k = prefix + ":" + queue + ":";
    takeOutOfWaiting(k, jobId);
    redis.lrem(k + "active", 0, jobId);
    redis.del(k + jobId + ":lock");
    redis.zadd(k + (completed ? "completed" : "failed"), finishedOn, jobId);
    redis.hset(k + jobId, Map.of("finishedOn", Long.toString(finishedOn), "processedOn",
        Long.toString(finishedOn), "atm", "1",
        completed ? "returnvalue" : "failedReason", completed ? "{\"ok\":true}" : "boom"));
  }

  private void takeOutOfWaiting(String k, String jobId) {
    redis.lrem(k + "wait", 0, jobId);
    redis.zrem(k + "prioritized", jobId);
    redis.zrem(k + "delayed", jobId);
  }

  @Override
  public void close() {
    direct.close();
  }
}
