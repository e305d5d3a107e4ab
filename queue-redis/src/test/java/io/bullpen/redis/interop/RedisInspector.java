package io.bullpen.redis.interop;

import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reads a queue's raw Redis keys, independent of both Bullpen and BullMQ, so their writes can be compared. */
final class RedisInspector implements AutoCloseable {
  private final DirectRedis direct;
  private final RedisClusterCommands<String, String> redis;

  RedisInspector(RunningRedis server) {
    this.direct = DirectRedis.connect(server);
    this.redis = direct.sync();
  }

  /** A job hash, sorted by field name. */
  Map<String, String> jobHash(QueueKeys keys, String jobId) {
    return new TreeMap<>(redis.hgetall(keys.jobKey(jobId)));
  }

  Map<String, String> hash(String key) {
    return new TreeMap<>(redis.hgetall(key));
  }

  String string(String key) {
    return redis.get(key);
  }

  /** A list from left to right (for {@code wait}: the next job to run is the last element). */
  List<String> list(String key) {
    return redis.lrange(key, 0, -1);
  }

  /** A sorted set from lowest to highest score, as member to score. */
  Map<String, Double> zset(String key) {
    Map<String, Double> members = new LinkedHashMap<>();
    for (ScoredValue<String> entry : redis.zrangeWithScores(key, 0, -1)) {
      members.put(entry.getValue(), entry.getScore());
    }
    return members;
  }

  /** Every entry of a stream, oldest first. */
  List<StreamMessage<String, String>> stream(String key) {
    return redis.xrange(key, Range.create("-", "+"));
  }

  /**
   * The keys of a queue, without the queue's key prefix ({@code <prefix>:<queue>:}): {@code "1"} for job 1's
   * hash, {@code "1:logs"}, {@code "pc"}, ... sorted. The queue name is used as a glob pattern, so it must hold
   * none of {@code *?[\\}.
   */
  SortedSet<String> queueKeys(QueueKeys keys) {
    String prefix = keys.keyPrefix();
    SortedSet<String> found = new TreeSet<>();
    ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(500);
    for (KeyScanCursor<String> cursor = redis.scan(args); ; cursor = redis.scan(cursor, args)) {
      cursor.getKeys().forEach(key -> found.add(key.substring(prefix.length())));
      if (cursor.isFinished()) {
        return found;
      }
    }
  }

  boolean exists(String key) {
    return redis.exists(key) == 1;
  }

  @Override
  public void close() {
    direct.close();
  }
}
