package io.bullpen.redis.internal.connection;

import io.bullpen.ClosedException;
import io.bullpen.redis.RedisConfig;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one connector: a Lettuce client (standalone or cluster) on its {@code ClientResources}, one
 * command connection and one publish/subscribe connection shared by every queue, worker and event reader built on
 * it, and the dedicated connections blocking reads need. Whoever created a Lettuce resource closes it: a client or
 * resources handed in by the application are left open by {@link #close()}.
 */
public final class SharedConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedConnections.class);
  private static final Duration DEFAULT_LONGEST_BLOCK = Duration.ofSeconds(11);

  private final RedisConfig config;
  private final AbstractRedisClient client;
  private final boolean ownsClient;
  private final ClientResources ownedResources;
  private final BlockingCommandTimeouts timeouts;
  private final Set<RedisLink> dedicated = ConcurrentHashMap.newKeySet();
  private final ClusterTopologyWatch topology;
  private final SentinelWatch sentinels;
  private RedisLink commands;
  private final SharedSubscriptions subscriptions;
  private boolean closed;

  private SharedConnections(RedisConfig config, AbstractRedisClient client, boolean ownsClient,
      ClientResources ownedResources, BlockingCommandTimeouts timeouts) {
    this.config = config;
    this.subscriptions = new SharedSubscriptions(this::connectPubSub, e -> RedisConnections.connectFailure(config, e));
    this.topology = client instanceof RedisClusterClient cluster ? new ClusterTopologyWatch(cluster) : null;
    if (topology != null) {
      topology.start();
      // Off the Lettuce thread that reports the change: opening a connection blocks.
      topology.onChanged(() -> CompletableFuture.runAsync(subscriptions::renew));
    }
    this.sentinels = client instanceof RedisClient standalone && SentinelWatch.appliesTo(config.redisUri())
        ? new SentinelWatch(standalone, config.redisUri()) : null;
    if (sentinels != null) {
      sentinels.start();
    }
    this.client = client;
    this.ownsClient = ownsClient;
    this.ownedResources = ownedResources;
    this.timeouts = timeouts;
  }

  /**
   * Connections on a client of their own, configured for Bullpen (timeouts, reconnects, TLS, cluster topology
   * refresh), on {@code resources}, or on resources of their own when null.
   */
  public static SharedConnections create(RedisConfig config, ClientResources resources) {
    ClientResources own = resources == null ? RedisConnections.newResources(config) : null;
    ClientResources used = resources == null ? own : resources;
    BlockingCommandTimeouts timeouts = new BlockingCommandTimeouts(config.commandTimeout(), DEFAULT_LONGEST_BLOCK);
    AbstractRedisClient client = config.isCluster()
        ? RedisConnections.newClusterClient(config, used, timeouts)
        : RedisConnections.newClient(config, used, timeouts);
    return new SharedConnections(config, client, true, own, timeouts);
  }

  /** Connections on the application's client, used as it is configured and left open by {@link #close()}. */
  public static SharedConnections wrap(RedisConfig config, AbstractRedisClient client) {
    if (config.isCluster() != (client instanceof RedisClusterClient)) {
      throw new io.bullpen.InvalidOptionException("client", client.getClass().getSimpleName(), config.isCluster()
          ? "a cluster URI (" + config.maskedUri() + ") needs a RedisClusterClient"
          : "a RedisClusterClient needs a cluster URI (redis-cluster://...), not " + config.maskedUri());
    }
    return new SharedConnections(config, client, false, null, null);
  }

  public RedisConfig config() {
    return config;
  }

  public boolean isCluster() {
    return client instanceof RedisClusterClient;
  }

  /**
   * Lets blocking reads on these connections last {@code longestBlock} without the client timing them out. Has no
   * effect on an application's client, whose own timeouts apply.
   */
  public void allowBlocking(Duration longestBlock) {
    if (timeouts != null) {
      timeouts.allowBlocking(longestBlock);
    }
  }

  /** The command connection everything built on these connections shares; opened on first use. */
  public RedisLink commands() {
    synchronized (this) {
      checkOpen();
      if (commands == null) {
        commands = connect(config.clientName().orElse(null));
      }
      return commands;
    }
  }

  /**
   * A new connection of the caller's own, for blocking reads, named {@code clientName} (null: the configured
   * client name, if any), closed by its caller or, at the latest, by {@link #close()}. A server that refuses client
   * names gets an unnamed connection.
   */
  public RedisLink openDedicated(String clientName) {
    synchronized (this) {
      checkOpen();
    }
    String name = clientName != null ? clientName : config.clientName().orElse(null);
    RedisLink link = connectNamedOrNot(name);
    dedicated.add(link);
    link.onClose(() -> dedicated.remove(link));
    synchronized (this) {
      if (closed) {
        link.close();
        checkOpen();
      }
    }
    return link;
  }

  private RedisLink connectNamedOrNot(String name) {
    try {
      return connect(name);
    } catch (RuntimeException e) {
      if (name == null || !refusedByServer(e)) {
        throw e;
      }
      LOG.info("Redis refused the client name {} ({}); connecting unnamed", name, e.getMessage());
      return connect(null);
    }
  }

  /**
   * Calls {@code listener} with every message published on {@code channel}, on a Lettuce thread, until the returned
   * handle is closed; see {@link SharedSubscriptions}.
   */
  public AutoCloseable subscribe(String channel, Consumer<String> listener) {
    synchronized (this) {
      checkOpen();
    }
    return subscriptions.subscribe(channel, listener);
  }

  /**
   * Runs {@code action} each time {@code link} is connected again after losing Redis (not on its first connect), on
   * a Lettuce thread: it must not block. On a cluster, a reconnect of any node connection counts, but not a node
   * connection's first connect: a cluster client opens those lazily, and for every topology refresh. Closing the
   * handle stops it.
   */
  public AutoCloseable onReconnected(RedisLink link, Runnable action) {
    StatefulConnection<String, String> watched = link.stateful();
    boolean anyNode = isCluster();
    // Node connections seen connected once (weakly held: refresh connections come and go).
    Set<RedisChannelHandler<?, ?>> connectedBefore = Collections.synchronizedSet(
        Collections.newSetFromMap(new WeakHashMap<>()));
    RedisConnectionStateListener listener = new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
        if (anyNode ? !connectedBefore.add(connection) : connection == watched) {
          action.run();
        }
      }
    };
    client.addListener(listener);
    return () -> client.removeListener(listener);
  }

  /**
   * Runs {@code action}, on a Lettuce thread, each time a cluster's topology is found changed after a node seemed
   * to fail (see {@link ClusterTopologyWatch}): blocking reads waiting on that node should start over on a new
   * connection. Never runs for a standalone Redis. Closing the handle stops it.
   */
  public AutoCloseable onTopologyChanged(Runnable action) {
    return topology == null ? () -> { } : topology.onChanged(action);
  }

  /**
   * Tells that a call on these connections outlived its deadline (a blocking read, say): on a cluster, its node
   * may have stopped answering, so the topology is read again.
   */
  public void suspectStuckNode() {
    if (topology != null) {
      topology.suspect();
    }
  }

  private RedisLink connect(String clientName) {
    if (client instanceof RedisClusterClient cluster) {
      StatefulRedisClusterConnection<String, String> connection =
          RedisConnections.connect(config, () -> cluster.connect(StringCodec.UTF8));
      RedisLink link = RedisLink.of(connection);
      if (topology != null) {
        topology.watch(connection);
        link.onClose(() -> topology.forget(connection));
      }
      if (clientName != null) {
        try {
          // Lettuce names every node connection of the cluster connection, also those it opens later.
          link.sync().clientSetname(clientName);
        } catch (RuntimeException e) {
          LOG.info("Redis refused the client name {} ({}); the connection stays unnamed", clientName, e.getMessage());
        }
      }
      return link;
    }
    RedisURI uri = config.redisUri();
    if (clientName != null) {
      uri.setClientName(clientName);
    }
    RedisClient standalone = (RedisClient) client;
    return RedisLink.of(followSentinels(
        RedisConnections.connect(config, () -> standalone.connect(StringCodec.UTF8, uri)), uri));
  }

  private static boolean refusedByServer(Throwable error) {
    for (Throwable cause = error; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
      if (cause instanceof RedisCommandExecutionException) {
        String message = String.valueOf(cause.getMessage());
        return !message.startsWith("WRONGPASS") && !message.startsWith("NOAUTH");
      }
    }
    return false;
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedException("Redis connector for " + config.maskedUri());
    }
  }

  /**
   * Closes every connection opened here, then the client and the resources if they were created here. Idempotent;
   * waits a few seconds at most.
   */
  @Override
  public void close() {
    List<AutoCloseable> open = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open.addAll(dedicated);
      open.add(subscriptions);
      if (commands != null) {
        open.add(commands);
      }
    }
    for (AutoCloseable connection : open) {
      try {
        connection.close();
      } catch (Exception e) {
        LOG.debug("closing a Redis connection failed", e);
      }
    }
    if (topology != null) {
      topology.close();
    }
    if (sentinels != null) {
      sentinels.close();
    }
    if (ownsClient) {
      RedisConnections.shutdown(client);
    }
    if (ownedResources != null) {
      RedisConnections.shutdown(ownedResources);
    }
  }

  private StatefulRedisPubSubConnection<String, String> connectPubSub() {
    if (client instanceof RedisClusterClient cluster) {
      return RedisConnections.connect(config, () -> cluster.connectPubSub(StringCodec.UTF8));
    }
    RedisURI uri = config.redisUri();
    config.clientName().ifPresent(uri::setClientName);
    RedisClient standalone = (RedisClient) client;
    return followSentinels(RedisConnections.connect(config, () -> standalone.connectPubSub(StringCodec.UTF8, uri)),
        uri);
  }

  private <C extends StatefulConnection<String, String>> C followSentinels(C connection, RedisURI uri) {
    if (sentinels != null && connection instanceof RedisChannelHandler<?, ?> handler) {
      sentinels.watch(handler, uri);
    }
    return connection;
  }

  @Override
  public String toString() {
    return "SharedConnections{" + config.maskedUri() + (isCluster() ? ", cluster" : "") + "}";
  }
}
