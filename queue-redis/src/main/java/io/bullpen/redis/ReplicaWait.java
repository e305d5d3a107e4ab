package io.bullpen.redis;

import io.bullpen.QueueConnectionException;
import io.bullpen.redis.internal.connection.ConnectionScope;
import java.util.concurrent.CompletionStage;

/** Adds that return only once enough replicas have them ({@link RedisConfig#replicasToWaitFor()}). */
final class ReplicaWait {
  private ReplicaWait() {}

  /** How much longer than its writes an add may take: the replica wait, if one is asked for. */
  static long boundMillis(RedisConfig redis) {
    return redis.replicasToWaitFor() == 0 ? 0 : redis.replicaWaitTimeout().toMillis();
  }

  /**
   * {@code written}, completed only once the configured number of replicas have it (Redis WAIT on the connection
   * that wrote {@code key}); as it is when no replica is asked for.
   */
  static <T> CompletionStage<T> after(CompletionStage<T> written, ConnectionScope connections, String key) {
    RedisConfig redis = connections.config();
    int replicas = redis.replicasToWaitFor();
    if (replicas == 0) {
      return written;
    }
    long timeout = redis.replicaWaitTimeout().toMillis();
    return written.thenCompose(value -> connections.commands().waitForReplicas(key, replicas, timeout)
        .thenApply(acknowledged -> {
          if (acknowledged < replicas) {
            throw new QueueConnectionException("the job was added on the master, but only " + acknowledged + " of "
                + replicas + " replicas had it within " + redis.replicaWaitTimeout()
                + " (RedisConfig.waitForReplicas); a failover now could lose it: add it again with the same jobId,"
                + " which is idempotent", null);
          }
          return value;
        }));
  }
}
