package io.bullpen.redis.internal.connection;

import io.bullpen.redis.RedisConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * What one queue, worker or event reader holds of a connector's connections: the shared ones, and the dedicated
 * connections, subscriptions and listeners it opened, which {@link #close()} releases. When the object made the
 * connector for itself (it was given a config, not a connector), closing the scope closes the connector too.
 */
public final class ConnectionScope implements AutoCloseable {
  private final SharedConnections shared;
  private final boolean ownsShared;
  private final List<AutoCloseable> held = new ArrayList<>();
  private boolean closed;

  private ConnectionScope(SharedConnections shared, boolean ownsShared) {
    this.shared = shared;
    this.ownsShared = ownsShared;
  }

  /** A scope on connections of its own, closed with it. */
  public static ConnectionScope owning(SharedConnections shared) {
    return new ConnectionScope(shared, true);
  }

  /** A scope on an application's connector, which stays open when the scope closes. */
  public static ConnectionScope borrowing(SharedConnections shared) {
    return new ConnectionScope(shared, false);
  }

  public RedisConfig config() {
    return shared.config();
  }

  public boolean isCluster() {
    return shared.isCluster();
  }

  /** See {@link SharedConnections#allowBlocking}. */
  public void allowBlocking(Duration longestBlock) {
    shared.allowBlocking(longestBlock);
  }

  /** The shared command connection. */
  public RedisLink commands() {
    return shared.commands();
  }

  /** A dedicated connection (see {@link SharedConnections#openDedicated}), closed at the latest with this scope. */
  public RedisLink openDedicated(String clientName) {
    RedisLink link = shared.openDedicated(clientName);
    hold(link);
    return link;
  }

  /** See {@link SharedConnections#subscribe}; unsubscribed at the latest when this scope closes. */
  public AutoCloseable subscribe(String channel, Consumer<String> listener) {
    AutoCloseable subscription = shared.subscribe(channel, listener);
    hold(subscription);
    return subscription;
  }

  /** See {@link SharedConnections#onReconnected}; stops when this scope closes. */
  public void onReconnected(RedisLink link, Runnable action) {
    hold(shared.onReconnected(link, action));
  }

  /** See {@link SharedConnections#onTopologyChanged}; stops when this scope closes. */
  public void onTopologyChanged(Runnable action) {
    hold(shared.onTopologyChanged(action));
  }

  /** See {@link SharedConnections#suspectStuckNode}. */
  public void suspectStuckNode() {
    shared.suspectStuckNode();
  }

  private void hold(AutoCloseable resource) {
    boolean late;
    synchronized (this) {
      late = closed;
      if (!late) {
        held.add(resource);
      }
    }
    if (late) {
      closeQuietly(resource);
      throw new io.bullpen.ClosedException("connection scope on " + shared.config().maskedUri());
    }
  }

  /** Releases what this scope opened, newest first, then the connector if the scope owns it. Idempotent. */
  @Override
  public void close() {
    List<AutoCloseable> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(held);
      held.clear();
    }
    for (int i = toClose.size() - 1; i >= 0; i--) {
      closeQuietly(toClose.get(i));
    }
    if (ownsShared) {
      shared.close();
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      LoggerFactory.getLogger(ConnectionScope.class).debug("releasing a Redis resource failed", e);
    }
  }
}
