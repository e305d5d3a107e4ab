package io.bullpen.server.internal.queues;

import io.bullpen.redis.RedisConfig;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisHashCommands;
import io.lettuce.core.api.sync.RedisKeyCommands;
import io.lettuce.core.api.sync.RedisListCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The few plain Redis reads the server makes beside the queues' own: finding queues (their {@code meta} keys), the
 * event stream's newest id (the read cache's version) and BullMQ's metrics keys. One connection on a Lettuce client
 * of its own, for standalone, Sentinel and cluster URIs alike; every call is a single key-routed command or SCAN.
 */
public final class RedisReads implements AutoCloseable {
  /** The command interfaces used, which the standalone and the cluster connection both have. */
  private interface Commands {
    KeyScanCursor<String> scan(ScanCursor cursor, ScanArgs args);

    List<StreamMessage<String, String>> newest(String stream);

    Map<String, String> hgetall(String key);

    List<String> lrange(String key, long start, long end);
  }

  private final AbstractRedisClient client;
  private final StatefulConnection<String, String> connection;
  private final Commands commands;

  public RedisReads(RedisConfig config) {
    if (config.isCluster()) {
      RedisClusterClient cluster = RedisClusterClient.create(config.clusterSeeds());
      StatefulRedisClusterConnection<String, String> c = cluster.connect();
      this.client = cluster;
      this.connection = c;
      this.commands = commands(c.sync());
    } else {
      RedisClient standalone = RedisClient.create(config.redisUri());
      var c = standalone.connect();
      this.client = standalone;
      this.connection = c;
      this.commands = commands(c.sync());
    }
    connection.setTimeout(config.commandTimeout());
  }

  private static <C extends RedisKeyCommands<String, String> & RedisStreamCommands<String, String>
      & RedisHashCommands<String, String> & RedisListCommands<String, String>> Commands commands(C sync) {
    return new Commands() {
      @Override
      public KeyScanCursor<String> scan(ScanCursor cursor, ScanArgs args) {
        return sync.scan(cursor, args);
      }

      @Override
      public List<StreamMessage<String, String>> newest(String stream) {
        return sync.xrevrange(stream, Range.create("-", "+"), Limit.from(1));
      }

      @Override
      public Map<String, String> hgetall(String key) {
        return sync.hgetall(key);
      }

      @Override
      public List<String> lrange(String key, long start, long end) {
        return sync.lrange(key, start, end);
      }
    };
  }

  /** Names of the queues under {@code prefix}: every {@code <prefix>:<name>:meta} key. */
  public Set<String> queueNames(String prefix) {
    Set<String> names = new TreeSet<>();
    String head = prefix + ":";
    ScanArgs args = ScanArgs.Builder.matches(head + "*:meta").limit(1000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = commands.scan(cursor, args);
      for (String key : page.getKeys()) {
        String name = key.substring(head.length(), key.length() - ":meta".length());
        if (!name.isEmpty() && !name.contains(":")) {
          names.add(name);
        }
      }
      cursor = page;
    } while (!cursor.isFinished());
    return names;
  }

  /** The id of the newest entry of the queue's event stream, {@code 0-0} when it has none. */
  public String newestEventId(String qualifiedName) {
    List<StreamMessage<String, String>> newest = commands.newest(qualifiedName + ":events");
    return newest.isEmpty() ? "0-0" : newest.get(0).getId();
  }

  /** A BullMQ metrics hash ({@code count}, {@code prevTS}, {@code prevCount}); empty when metrics are off. */
  public Map<String, String> metricsMeta(String qualifiedName, String type) {
    return commands.hgetall(qualifiedName + ":metrics:" + type);
  }

  /** The newest {@code points} per-minute counts of a BullMQ metrics list, newest first. */
  public List<String> metricsData(String qualifiedName, String type, int points) {
    return commands.lrange(qualifiedName + ":metrics:" + type + ":data", 0, points - 1L);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2));
  }
}
