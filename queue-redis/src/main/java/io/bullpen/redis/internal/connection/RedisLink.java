package io.bullpen.redis.internal.connection;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis connection, to a standalone server or to a cluster, seen through the commands both kinds share. On a
 * cluster connection every keyed command (scripts included: they are routed by their first key) goes to the master
 * of the key's slot and follows {@code MOVED}/{@code ASK} redirects.
 */
public final class RedisLink implements AutoCloseable {
  private static final long CLOSE_WAIT_SECONDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
  private final StatefulConnection<String, String> connection;
  private final RedisClusterAsyncCommands<String, String> async;
  private final RedisClusterCommands<String, String> sync;
  private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ConcurrentMap<Class<?>, Object> attachments = new ConcurrentHashMap<>();

  private RedisLink(StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> async,
      RedisClusterCommands<String, String> sync) {
    this.connection = connection;
    this.async = async;
    this.sync = sync;
  }

  public static RedisLink of(StatefulRedisConnection<String, String> connection) {
    return new RedisLink(connection, connection.async(), connection.sync());
  }

  public static RedisLink of(StatefulRedisClusterConnection<String, String> connection) {
    return new RedisLink(connection, connection.async(), connection.sync());
  }

  public RedisClusterAsyncCommands<String, String> async() {
    return async;
  }

  public RedisClusterCommands<String, String> sync() {
    return sync;
  }

  /**
   * Loads {@code source} into the script cache of the server that holds {@code key} (on a cluster, that key's master
   * only, where Lettuce's SCRIPT LOAD would go to every node and wait for all), completing with its SHA-1.
   */
  public CompletableFuture<String> loadScript(String source, String key) {
    if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
      RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
      if (master != null) {
        return cluster.getConnectionAsync(master.getNodeId())
            .thenCompose(node -> node.async().scriptLoad(source));
      }
    }
    return async.scriptLoad(source).toCompletableFuture();
  }

  /**
   * Loads the function library {@code code} ({@code FUNCTION LOAD}, without REPLACE) on the server that holds
   * {@code key} (on a cluster, that key's master), completing with the library's name.
   */
  public CompletableFuture<String> loadFunctionLibrary(String code, String key) {
    if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
      RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
      if (master != null) {
        return cluster.getConnectionAsync(master.getNodeId())
            .thenCompose(node -> node.async().functionLoad(code));
      }
    }
    return async.functionLoad(code).toCompletableFuture();
  }

  /**
   * Names the server that holds {@code key}: on a cluster the node id of its slot's master as this connection
   * knows the topology (empty when it knows none), else the empty string, for the one server behind the link
   * (after a Sentinel failover, the new master).
   */
  public String serverOf(String key) {
    if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
      RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
      return master == null ? "" : master.getNodeId();
    }
    return "";
  }

  /**
   * The one {@code type} kept with this link, made by {@code create} on first use: state about the servers
   * behind the link that every user of the link shares.
   */
  public <T> T attachment(Class<T> type, Function<RedisLink, T> create) {
    return type.cast(attachments.computeIfAbsent(type, t -> create.apply(this)));
  }

  /**
   * Redis {@code WAIT} on the connection that wrote {@code key} (on a cluster, the one to that key's master):
   * completes with how many replicas have this connection's writes so far.
   */
  public CompletableFuture<Long> waitForReplicas(String key, int replicas, long timeoutMillis) {
    if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
      RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
      if (master != null) {
        return cluster.getConnectionAsync(master.getNodeId())
            .thenCompose(node -> node.async().waitForReplication(replicas, timeoutMillis));
      }
    }
    return async.waitForReplication(replicas, timeoutMillis).toCompletableFuture();
  }

  public boolean isOpen() {
    return connection.isOpen();
  }

  StatefulConnection<String, String> stateful() {
    return connection;
  }

  /** Adds {@code action} to what closing this link runs. */
  void onClose(Runnable action) {
    onClose.add(action);
  }

  /**
   * Closes once; later calls do nothing (Lettuce warns about closing a closed connection). Waits at most
   * {@value #CLOSE_WAIT_SECONDS} s: Lettuce's own close waits without bound, and closing must never hang a caller.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      connection.closeAsync().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("a Redis connection did not close within {} s: {}", CLOSE_WAIT_SECONDS, e.toString());
    } finally {
      onClose.forEach(Runnable::run);
    }
  }

  /** Closes without waiting, e.g. a connection stuck in a blocking call, from the thread that waits on it. */
  public CompletableFuture<Void> closeAsync() {
    if (!closed.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      return connection.closeAsync();
    } finally {
      onClose.forEach(Runnable::run);
    }
  }
}
