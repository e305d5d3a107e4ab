package io.bullpen.cli.internal.migrate;

import io.bullpen.redis.internal.connection.SharedConnections;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.RedisCalls;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** One end of a migration: a Redis deployment and the queue's keys there. */
final class Side {
  final SharedConnections redis;
  final QueueKeys keys;
  final long timeout;

  Side(SharedConnections redis, QueueKeys keys) {
    this.redis = redis;
    this.keys = keys;
    this.timeout = redis.config().commandTimeout().toMillis() * 4;
    if (redis.isCluster()) {
      keys.requireOneSlot();
    }
  }

  RedisClusterAsyncCommands<String, String> async() {
    return redis.commands().async();
  }

  <T> T await(CompletionStage<T> stage, String what) {
    return RedisCalls.await(stage, timeout, what + " at " + redis.config().maskedUri());
  }

  /** One SCAN page of the queue's keys from {@code cursor}. */
  KeyScanCursor<String> page(ScanCursor cursor, int count) {
    return await(async().scan(cursor, ScanArgs.Builder.matches(keys.scanPattern()).limit(count)), "SCAN");
  }

  /** Every key of the queue, page by page. */
  void eachPage(int count, Consumer<List<String>> action) {
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = page(cursor, count);
      action.accept(new ArrayList<>(page.getKeys()));
      cursor = page;
    } while (!cursor.isFinished());
  }

  @Override
  public String toString() {
    return keys.qualifiedName() + " at " + redis.config().maskedUri();
  }
}
