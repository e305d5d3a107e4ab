package io.bullpen.outbox.internal;

import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The relay's {@link Queue} objects, one per queue name, opened on first use and closed with the relay. */
public final class QueueRegistry implements AutoCloseable {
  private final QueueOptions options;
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public QueueRegistry(QueueOptions options) {
    this.options = options;
  }

  /**
   * The queue {@code name}, connecting it when new.
   *
   * @throws io.bullpen.QueueConnectionException when Redis cannot be reached (nothing is kept then)
   */
  public Queue get(String name) {
    Queue queue = queues.get(name);
    if (queue != null) {
      return queue;
    }
    synchronized (this) {
      if (closed) {
        throw new io.bullpen.ClosedException("the outbox relay is closed");
      }
      return queues.computeIfAbsent(name, n -> new Queue(n, options));
    }
  }

  /** Whether {@code name}'s queue is connected already. */
  public boolean isOpen(String name) {
    return queues.containsKey(name);
  }

  @Override
  public synchronized void close() {
    closed = true;
    queues.values().forEach(Queue::close);
    queues.clear();
  }
}
