package io.bullpen.examples;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Plain Redis commands for the checks a test makes below Bullpen's API (a job's lock, a config hash), on the
 * keys of BullMQ's layout under the default prefix {@code bull}.
 */
final class RawRedis implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  RawRedis(String redisUri) {
    this.client = RedisClient.create(redisUri);
    this.connection = client.connect();
  }

  RedisCommands<String, String> commands() {
    return connection.sync();
  }

  /** The key {@code bull:<queue>:<suffix>}. */
  static String key(String queueName, String suffix) {
    return "bull:" + queueName + ":" + suffix;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
