package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.internal.connection.ConnectionScope;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.scheduling.RedisDelayedJobFeed;
import io.bullpen.redis.internal.scheduling.RedisScheduledQueue;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.scheduler.QueueScheduler;
import io.bullpen.scheduler.QueueSchedulerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

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
    return start(null, redis, prefix, queueNames, options);
  }

  /**
   * As {@link #start(RedisConfig, String, Collection, QueueSchedulerOptions)}, on {@code connector}'s shared
   * command connection plus one connection of its own listening for delayed jobs. On a Redis Cluster the queues of
   * one scheduler must share a slot (one hash tag); start one scheduler per slot otherwise.
   */
  public static QueueScheduler start(RedisConnector connector, String prefix, Collection<String> queueNames,
      QueueSchedulerOptions options) {
    if (connector == null) {
      throw new InvalidOptionException("connector", null, "is required");
    }
    return start(connector, connector.config(), prefix, queueNames, options);
  }

  private static QueueScheduler start(RedisConnector connector, RedisConfig redis, String prefix,
      Collection<String> queueNames, QueueSchedulerOptions options) {
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
    ConnectionScope connections = RedisConnector.scope(connector, redis);
    try {
      if (connections.isCluster()) {
        requireOneSlot(keys);
      }
      connections.allowBlocking(LONGEST_BLOCK);
      ScriptRunner runner = new ScriptRunner(connections.commands());
      List<RedisScheduledQueue> queues = new ArrayList<>();
      for (QueueKeys k : keys) {
        queues.add(new RedisScheduledQueue(k, runner, redis.commandTimeout().toMillis()));
      }
      RedisDelayedJobFeed feed = new RedisDelayedJobFeed(() -> connections.openDedicated(null), queues,
          connections::close);
      QueueScheduler scheduler = new QueueScheduler(queues, feed, options);
      scheduler.start();
      return scheduler;
    } catch (RuntimeException e) {
      connections.close();
      throw e;
    }
  }

  /** One XREAD follows every queue's events stream, and on a cluster one command reaches one slot only. */
  private static void requireOneSlot(List<QueueKeys> keys) {
    for (QueueKeys k : keys) {
      k.requireOneSlot();
      if (k.slot() != keys.get(0).slot()) {
        throw new InvalidOptionException("queueNames", k.queueName(), "on a Redis Cluster the queues of one scheduler"
            + " must share a slot, and '" + keys.get(0).qualifiedName() + "' and '" + k.qualifiedName()
            + "' do not: give them one hash tag, or start one scheduler per slot");
      }
    }
  }
}
