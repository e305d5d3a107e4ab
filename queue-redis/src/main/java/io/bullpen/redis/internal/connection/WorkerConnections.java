package io.bullpen.redis.internal.connection;

import io.bullpen.QueueConnectionException;
import io.bullpen.redis.RedisConfig;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The two connections of a worker, from one Lettuce client: a command connection for scripts and a dedicated
 * blocking connection for BZPOPMIN on the marker, named like BullMQ's so dashboards count the worker. Blocking
 * commands get a timeout long enough for the longest block; every other command gets the configured one.
 */
public final class WorkerConnections implements AutoCloseable {
  private final RedisConfig config;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> commands;
  private final String blockingClientName;

  public WorkerConnections(RedisConfig config, Duration longestBlock, String blockingClientName) {
    this.config = config;
    this.blockingClientName = blockingClientName;
    this.client = RedisConnections.newClient(config);
    BlockingCommandTimeouts.apply(client, config.commandTimeout(), longestBlock.plusSeconds(1));
    try {
      this.commands = RedisConnections.connect(client, config);
    } catch (RuntimeException e) {
      RedisConnections.shutdown(client);
      throw e;
    }
  }

  public StatefulRedisConnection<String, String> commands() {
    return commands;
  }

  /**
   * Runs {@code action} each time the command connection is up again after losing Redis (not on the first
   * connect), on a Lettuce thread: it must not block.
   */
  public void onCommandsReconnected(Runnable action) {
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
        if (connection == commands) {
          action.run();
        }
      }
    });
  }

  /** A new blocking connection whose client name is set on every (re)connect. */
  public StatefulRedisConnection<String, String> openBlocking() {
    RedisURI uri = config.redisUri();
    uri.setClientName(blockingClientName);
    try {
      return client.connect(StringCodec.UTF8, uri);
    } catch (RuntimeException e) {
      throw RedisConnections.connectFailure(config, e);
    }
  }

  /** A new connection without a client name, for reads that must not make dashboards count another worker. */
  public StatefulRedisConnection<String, String> openUnnamed() {
    return RedisConnections.connect(client, config);
  }

  /** A new publish/subscribe connection (for cancel requests), resubscribed by Lettuce after a reconnect. */
  public StatefulRedisPubSubConnection<String, String> openPubSub() {
    try {
      return client.connectPubSub(StringCodec.UTF8);
    } catch (RuntimeException e) {
      throw RedisConnections.connectFailure(config, e);
    }
  }

  @Override
  public void close() {
    try {
      commands.close();
    } finally {
      RedisConnections.shutdown(client);
    }
  }
}
