package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.internal.connection.BlockingCommandTimeouts;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.connection.RedisConnections;
import io.bullpen.redis.internal.scheduling.RedisDelayedJobFeed;
import io.bullpen.redis.internal.scheduling.RedisScheduledQueue;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.scheduler.QueueScheduler;
import io.bullpen.scheduler.QueueSchedulerOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a {@link QueueScheduler} on its own for a set of Redis queues, for processes that run no worker (a
 * producer-only service, say) or workers built with {@code runQueueScheduler(false)}. Every Worker already runs
 * one for its queue; several schedulers on a queue cooperate.
 *
 * <pre>{@code
 * try (QueueScheduler scheduler = QueueSchedulers.start(RedisConfig.of("redis://127.0.0.1:6379"),
 *     QueueSchedulerOptions.defaults(), "emails", "reports")) {
 *   ...   // delayed jobs of both queues run on time; stalled jobs are recovered
 * }
 * }</pre>
 */
public final class QueueSchedulers {
  private static final Duration LONGEST_BLOCK = Duration.ofSeconds(10);

  private QueueSchedulers() {}

  /** Starts a scheduler for {@code queueNames} under the default prefix {@code bull}. */
  public static QueueScheduler start(RedisConfig redis, QueueSchedulerOptions options, String... queueNames) {
    return start(redis, QueueOptions.DEFAULT_PREFIX, List.of(queueNames), options);
  }

  /**
   * Starts a scheduler for {@code queueNames} under {@code prefix}, on two connections of its own (one for the
   * duties, one listening for delayed jobs), closed with it. Timestamps it writes come from
   * {@link QueueSchedulerOptions#ticker()}.
   *
   * @throws InvalidOptionException for a missing argument or a bad queue name or prefix
   * @throws io.bullpen.QueueConnectionException when Redis cannot be reached
   */
  public static QueueScheduler start(RedisConfig redis, String prefix, Collection<String> queueNames,
      QueueSchedulerOptions options) {
    if (redis == null) {
      throw new InvalidOptionException("redis", null, "is required");
    }
    if (options == null) {
      throw new InvalidOptionException("options", null, "are required");
    }
    if (queueNames == null || queueNames.isEmpty()) {
      throw new InvalidOptionException("queueNames", queueNames, "at least one queue is required");
    }
    List<QueueKeys> keys = new ArrayList<>();
    for (String name : new LinkedHashSet<>(queueNames)) {
      keys.add(new QueueKeys(prefix, name));
    }
    RedisClient client = RedisConnections.newClient(redis);
    BlockingCommandTimeouts.apply(client, redis.commandTimeout(), LONGEST_BLOCK);
    StatefulRedisConnection<String, String> commands;
    try {
      commands = RedisConnections.connect(client, redis);
    } catch (RuntimeException e) {
      RedisConnections.shutdown(client);
      throw e;
    }
    ScriptRunner runner = new ScriptRunner(commands.async());
    List<RedisScheduledQueue> queues = new ArrayList<>();
    for (QueueKeys k : keys) {
      queues.add(new RedisScheduledQueue(k, runner, redis.commandTimeout().toMillis()));
    }
    RedisDelayedJobFeed feed = new RedisDelayedJobFeed(() -> RedisConnections.connect(client, redis), queues, () -> {
      try {
        commands.close();
      } finally {
        RedisConnections.shutdown(client);
      }
    });
    QueueScheduler scheduler = new QueueScheduler(queues, feed, options);
    scheduler.start();
    return scheduler;
  }
}
