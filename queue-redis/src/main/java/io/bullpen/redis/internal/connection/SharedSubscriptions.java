package io.bullpen.redis.internal.connection;

import io.bullpen.ClosedException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One publish/subscribe connection for every subscriber of a connector, opened on the first subscription: each
 * channel is subscribed once and its messages handed to all its listeners. Lettuce subscribes again after a
 * reconnect; after a cluster topology change {@link #renew()} moves the subscriptions to a new connection.
 */
final class SharedSubscriptions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedSubscriptions.class);

  private final Supplier<StatefulRedisPubSubConnection<String, String>> connect;
  private final Function<RuntimeException, RuntimeException> failure;
  private final Map<String, List<Consumer<String>>> channels = new HashMap<>();
  private StatefulRedisPubSubConnection<String, String> pubSub;
  private boolean closed;

  /**
   * @param connect opens a publish/subscribe connection
   * @param failure what a failed SUBSCRIBE throws
   */
  SharedSubscriptions(Supplier<StatefulRedisPubSubConnection<String, String>> connect,
      Function<RuntimeException, RuntimeException> failure) {
    this.connect = connect;
    this.failure = failure;
  }

  /**
   * Calls {@code listener} with every message published on {@code channel}, on a Lettuce thread, until the returned
   * handle is closed.
   */
  public AutoCloseable subscribe(String channel, Consumer<String> listener) {
    boolean first;
    StatefulRedisPubSubConnection<String, String> connection;
    synchronized (this) {
      checkOpen();
      if (pubSub == null) {
        pubSub = openPubSub();
      }
      connection = pubSub;
      List<Consumer<String>> listeners = channels.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>());
      first = listeners.isEmpty();
      listeners.add(listener);
    }
    if (first) {
      try {
        connection.sync().subscribe(channel);
      } catch (RuntimeException e) {
        unsubscribe(channel, listener);
        throw failure.apply(e);
      }
    }
    return () -> unsubscribe(channel, listener);
  }

  private StatefulRedisPubSubConnection<String, String> openPubSub() {
    StatefulRedisPubSubConnection<String, String> connection = connect.get();
    connection.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String from, String message) {
        deliver(from, message);
      }
    });
    return connection;
  }

  /**
   * After a cluster's topology changed: subscribes every channel again on a new connection. Lettuce would reconnect
   * the old one to the node it was on, which may be the master that failed, and subscribers would hear nothing.
   * Messages published in between are missed (cancels then reach a worker when it takes the job; see
   * CancelSubscriber).
   */
  void renew() {
    StatefulRedisPubSubConnection<String, String> old;
    String[] subscribed;
    synchronized (this) {
      if (closed || pubSub == null) {
        return;
      }
      old = pubSub;
      subscribed = channels.keySet().toArray(String[]::new);
    }
    StatefulRedisPubSubConnection<String, String> renewed;
    try {
      renewed = openPubSub();
      if (subscribed.length > 0) {
        renewed.async().subscribe(subscribed);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not subscribe again after a cluster topology change: {}", e.getMessage());
      return;
    }
    boolean replaced;
    List<String> late = new ArrayList<>();
    synchronized (this) {
      replaced = !closed && pubSub == old;
      if (replaced) {
        pubSub = renewed;
        late.addAll(channels.keySet());
        late.removeAll(List.of(subscribed));  // subscribed on the old connection while this one opened
      }
    }
    if (replaced && !late.isEmpty()) {
      renewed.async().subscribe(late.toArray(String[]::new));
    }
    (replaced ? old : renewed).closeAsync();
  }

  private void deliver(String channel, String message) {
    List<Consumer<String>> listeners;
    synchronized (this) {
      listeners = channels.get(channel);
    }
    if (listeners != null) {
      for (Consumer<String> listener : listeners) {
        listener.accept(message);
      }
    }
  }

  private void unsubscribe(String channel, Consumer<String> listener) {
    StatefulRedisPubSubConnection<String, String> connection;
    synchronized (this) {
      List<Consumer<String>> listeners = channels.get(channel);
      if (listeners == null || !listeners.remove(listener) || !listeners.isEmpty()) {
        return;
      }
      channels.remove(channel);
      connection = closed ? null : pubSub;
    }
    if (connection != null && connection.isOpen()) {
      // Without waiting: a subscriber closing while Redis is away must not hang.
      connection.async().unsubscribe(channel);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedException("Redis subscriptions");
    }
  }

  @Override
  public void close() {
    StatefulRedisPubSubConnection<String, String> open;
    synchronized (this) {
      closed = true;
      open = pubSub;
      pubSub = null;
      channels.clear();
    }
    if (open != null) {
      open.close();
    }
  }
}
