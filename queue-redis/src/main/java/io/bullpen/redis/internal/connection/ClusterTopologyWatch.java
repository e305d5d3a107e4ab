package io.bullpen.redis.internal.connection;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a cluster's topology again as soon as a master may have failed, instead of at the next periodic refresh.
 * Every second it pings each master over the command connections' own node connections; a ping not answered within
 * a second (a killed master whose connection reconnects in vain, a frozen one that accepts and never answers), and
 * any command timeout, read the topology again (at most once a second). Measured on Lettuce 7.7 with adaptive
 * refresh on: without this, a client idle during a failover sends its next command to the dead master and waits out
 * the command timeout, and a frozen master fires no trigger at all. When a refresh finds the topology changed, the
 * listeners run, so that blocking reads waiting on the failed node start over.
 */
final class ClusterTopologyWatch implements CommandListener {
  private static final long PAUSE_NANOS = 1_000_000_000L;

  private final RedisClusterClient client;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Set<StatefulRedisClusterConnection<?, ?>> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime() - PAUSE_NANOS);
  private final AtomicBoolean beating = new AtomicBoolean();
  private volatile String lastFingerprint = "";
  private volatile boolean closed;

  ClusterTopologyWatch(RedisClusterClient client) {
    this.client = client;
  }

  void start() {
    client.addListener(this);
  }

  AutoCloseable onChanged(Runnable action) {
    listeners.add(action);
    return () -> listeners.remove(action);
  }

  /** Pings the masters of {@code connection} every second until it is forgotten. */
  void watch(StatefulRedisClusterConnection<?, ?> connection) {
    connections.add(connection);
    if (beating.compareAndSet(false, true)) {
      scheduleBeat();
    }
  }

  void forget(StatefulRedisClusterConnection<?, ?> connection) {
    connections.remove(connection);
  }

  private void scheduleBeat() {
    CompletableFuture.delayedExecutor(PAUSE_NANOS, TimeUnit.NANOSECONDS).execute(this::beat);
  }

  private void beat() {
    if (closed || connections.isEmpty()) {
      beating.set(false);
      if (!closed && !connections.isEmpty() && beating.compareAndSet(false, true)) {
        scheduleBeat();  // a connection came while stopping
      }
      return;
    }
    for (StatefulRedisClusterConnection<?, ?> connection : connections) {
      if (!connection.isOpen()) {
        continue;
      }
      for (RedisClusterNode node : connection.getPartitions()) {
        if (node.getRole().isUpstream() && !node.getSlots().isEmpty()) {
          connection.getConnectionAsync(node.getNodeId())
              .thenCompose(nodeConnection -> nodeConnection.async().ping())
              .toCompletableFuture()
              .orTimeout(PAUSE_NANOS, TimeUnit.NANOSECONDS)
              .whenComplete((pong, error) -> {
                if (error != null) {
                  suspect();
                }
              });
        }
      }
    }
    scheduleBeat();
  }

  /** A node may be gone: read the topology again now (at most once a second). */
  void suspect() {
    long now = System.nanoTime();
    long previous = lastRefresh.get();
    if (closed || now - previous < PAUSE_NANOS || !lastRefresh.compareAndSet(previous, now)) {
      return;
    }
    if (lastFingerprint.isEmpty()) {
      lastFingerprint = fingerprint();
    }
    // The listeners close and reopen connections; on Lettuce's I/O threads, where the refresh completes, a listener
    // waiting for a connect would wait for its own thread (seen: both event loops stuck in a topology listener while
    // a worker connected). They run on Lettuce's computation threads instead.
    client.refreshPartitionsAsync().whenCompleteAsync((done, error) -> {
      String current = fingerprint();
      if (!current.equals(lastFingerprint)) {
        lastFingerprint = current;
        listeners.forEach(Runnable::run);
      }
    }, client.getResources().eventExecutorGroup());
  }

  void close() {
    closed = true;
  }

  @Override
  public void commandFailed(CommandFailedEvent event) {
    if (event.getCause() instanceof RedisCommandTimeoutException) {
      suspect();
    }
  }

  /** Who serves which share of the slots, in an order that does not depend on how Lettuce lists the nodes. */
  private String fingerprint() {
    java.util.TreeSet<String> view = new java.util.TreeSet<>();
    for (RedisClusterNode node : client.getPartitions()) {
      view.add(node.getNodeId() + node.getRole() + node.getSlots().size());
    }
    return String.join(";", view);
  }
}
