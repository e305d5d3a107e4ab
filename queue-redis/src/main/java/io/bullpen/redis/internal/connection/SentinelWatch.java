package io.bullpen.redis.internal.connection;

import io.lettuce.core.Delegating;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves connections to the new master as soon as the sentinels name one. Lettuce asks the sentinels for the master
 * only when it reconnects, and a master that freezes (or sits behind a network split) keeps its TCP connections up:
 * without this, commands wait out their timeout against it, and blocking reads wait forever. Every second this asks
 * a sentinel for the master's address and disconnects every watched connection still connected elsewhere; Lettuce
 * then reconnects it, resolving the master through the sentinels again. Pending commands are sent again on the new
 * connection, as on any reconnect.
 *
 * <p>It asks one sentinel at a time and moves on to the next in the list when one does not answer within a second:
 * a frozen sentinel accepts connections and never answers. The sentinel that answered goes first in the sentinel
 * list of every watched connection's URI, as Redis's guidelines for Sentinel clients ask: Lettuce tries them in
 * order when it reconnects, and would otherwise wait out the timeout of a frozen first sentinel every time.
 */
final class SentinelWatch implements RedisConnectionStateListener {
  private static final Logger LOG = LoggerFactory.getLogger(SentinelWatch.class);
  private static final long PAUSE_NANOS = 1_000_000_000L;

  private final RedisClient client;
  private final RedisURI uri;
  private final Map<RedisChannelHandler<?, ?>, String> connectedTo = new ConcurrentHashMap<>();
  /** Each watched connection and the URI Lettuce resolves it with on a reconnect. */
  private final Map<RedisChannelHandler<?, ?>, RedisURI> watched = new ConcurrentHashMap<>();
  private final AtomicBoolean beating = new AtomicBoolean();
  private StatefulRedisSentinelConnection<String, String> sentinel;
  /** Which of the URI's sentinels to connect to next; moves on when one fails to answer. */
  private int nextSentinel;
  private volatile String master = "";
  private volatile boolean closed;

  SentinelWatch(RedisClient client, RedisURI uri) {
    this.client = client;
    this.uri = uri;
  }

  /** Whether {@code uri} reaches its master through sentinels, so that a watch applies. */
  static boolean appliesTo(RedisURI uri) {
    return !uri.getSentinels().isEmpty();
  }

  void start() {
    client.addListener(this);
  }

  /** Keeps {@code connection}, made with {@code connectionUri}, on the current master until it is closed. */
  void watch(RedisChannelHandler<?, ?> connection, RedisURI connectionUri) {
    watched.put(connection, connectionUri);
    if (beating.compareAndSet(false, true)) {
      scheduleBeat();
    }
  }

  @Override
  public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
    connectedTo.put(connection, hostAndPort(socketAddress));
  }

  @Override
  public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
    connectedTo.remove(connection);
  }

  private void scheduleBeat() {
    CompletableFuture.delayedExecutor(PAUSE_NANOS, TimeUnit.NANOSECONDS).execute(this::beat);
  }

  private void beat() {
    watched.keySet().removeIf(RedisChannelHandler::isClosed);
    if (closed || watched.isEmpty()) {
      beating.set(false);
      if (!closed && !watched.isEmpty() && beating.compareAndSet(false, true)) {
        scheduleBeat();  // a connection came while stopping
      }
      return;
    }
    // Asynchronously: the beat runs on the common pool, which a blocking connect would hold up.
    // Handled off the Lettuce thread: naming the master may need a DNS lookup.
    askMaster().whenCompleteAsync((address, error) -> {
      if (error != null) {
        // That sentinel did not answer in time: ask the next one next second.
        LOG.debug("asking a sentinel for master {} failed", uri.getSentinelMasterId(), error);
        dropSentinel();
        moveToNextSentinel();
      } else {
        putFirst(answering());
        follow(hostAndPort(address));
      }
      scheduleBeat();
    });
  }

  private void follow(String current) {
    if (!current.equals(master)) {
      if (!master.isEmpty()) {
        LOG.info("Sentinels name {} as master of {} (was {}); moving connections there", current,
            uri.getSentinelMasterId(), master);
      }
      master = current;
    }
    moveStrays(current);
  }

  private CompletableFuture<SocketAddress> askMaster() {
    CompletableFuture<StatefulRedisSentinelConnection<String, String>> connection;
    synchronized (this) {
      if (sentinel == null || !sentinel.isOpen()) {
        dropSentinel();
        connection = client.connectSentinelAsync(StringCodec.UTF8, answering()).thenApply(this::keep);
      } else {
        connection = CompletableFuture.completedFuture(sentinel);
      }
    }
    return connection.thenCompose(open -> open.async().getMasterAddrByName(uri.getSentinelMasterId()))
        .toCompletableFuture().orTimeout(PAUSE_NANOS, TimeUnit.NANOSECONDS);
  }

  private synchronized StatefulRedisSentinelConnection<String, String> keep(
      StatefulRedisSentinelConnection<String, String> opened) {
    if (closed) {
      opened.closeAsync();
    } else {
      sentinel = opened;
    }
    return opened;
  }

  private synchronized RedisURI answering() {
    List<RedisURI> sentinels = uri.getSentinels();
    return sentinels.get(nextSentinel % sentinels.size());
  }

  /**
   * Moves {@code sentinel} to the front of each watched URI's sentinels by swapping, which Lettuce's iteration of
   * the list (a reconnect in progress) tolerates: a swap is no structural change.
   */
  private void putFirst(RedisURI sentinel) {
    for (RedisURI connectionUri : watched.values()) {
      List<RedisURI> sentinels = connectionUri.getSentinels();
      for (int i = 1; i < sentinels.size(); i++) {
        RedisURI candidate = sentinels.get(i);
        if (candidate.getHost().equals(sentinel.getHost()) && candidate.getPort() == sentinel.getPort()) {
          Collections.swap(sentinels, 0, i);
          break;
        }
      }
    }
  }

  private void moveStrays(String current) {
    for (RedisChannelHandler<?, ?> connection : watched.keySet()) {
      String address = connectedTo.get(connection);
      if (address != null && !address.equals(current) && !connection.isClosed()) {
        connectedTo.remove(connection);
        DefaultEndpoint endpoint = endpointOf(connection.getChannelWriter());
        if (endpoint != null) {
          endpoint.disconnect();  // the reconnect that follows asks the sentinels for the master
        }
      }
    }
  }

  private static DefaultEndpoint endpointOf(RedisChannelWriter writer) {
    Object current = writer;
    for (int depth = 0; depth < 8 && current != null; depth++) {
      if (current instanceof DefaultEndpoint endpoint) {
        return endpoint;
      }
      current = current instanceof Delegating<?> delegating ? delegating.getDelegate() : null;
    }
    return null;
  }

  private static String hostAndPort(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      InetSocketAddress resolved = inet.isUnresolved() ? new InetSocketAddress(inet.getHostString(), inet.getPort())
          : inet;
      String host = resolved.getAddress() != null ? resolved.getAddress().getHostAddress() : resolved.getHostString();
      return host + ":" + resolved.getPort();
    }
    return String.valueOf(address);
  }

  private synchronized void moveToNextSentinel() {
    nextSentinel = (nextSentinel + 1) % uri.getSentinels().size();
  }

  private synchronized void dropSentinel() {
    if (sentinel != null) {
      sentinel.closeAsync();
      sentinel = null;
    }
  }

  void close() {
    closed = true;
    client.removeListener(this);
    dropSentinel();
  }
}
