package io.bullpen.spring.boot;

import io.bullpen.ClosedException;
import io.bullpen.QueueNames;
import io.bullpen.redis.Queue;
import io.bullpen.observe.JobObserver;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConnector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every {@link Queue} of the application, on the shared {@link RedisConnector}: one per name, made on first use
 * with the defaults of {@code bullpen.queues.<name>} (Bullpen's own for names not configured), closed with the
 * context. Each configured queue is also a {@code Queue} bean, qualified by its name.
 *
 * <pre>{@code
 * queues.get("emails").add("welcome", new Email(to));
 * }</pre>
 */
public class Queues implements AutoCloseable {
  private final RedisConnector connector;
  private final BullpenProperties properties;
  private final List<JobObserver> observers;
  private final Map<String, Queue> queues = new LinkedHashMap<>();
  private boolean closed;

  public Queues(RedisConnector connector, BullpenProperties properties) {
    this(connector, properties, List.of());
  }

  /** Queues whose adds {@code observers} hear (metrics, tracing), in this order. */
  public Queues(RedisConnector connector, BullpenProperties properties, List<JobObserver> observers) {
    this.connector = connector;
    this.properties = properties;
    this.observers = List.copyOf(observers);
  }

  /** The queue named {@code name}, opened on first use. */
  public Queue get(String name) {
    QueueNames.requireValidName(name);
    synchronized (queues) {
      if (closed) {
        throw new ClosedException("queue " + name + " (the application context closed its queues)");
      }
      return queues.computeIfAbsent(name, this::open);
    }
  }

  /** The names of the queues configured under {@code bullpen.queues}. */
  public Set<String> configuredNames() {
    return properties.getQueues().keySet();
  }

  /** The queues opened so far. */
  public List<Queue> opened() {
    synchronized (queues) {
      return List.copyOf(queues.values());
    }
  }

  private Queue open(String name) {
    QueueProperties settings = properties.getQueues().getOrDefault(name, new QueueProperties());
    QueueOptions.Builder options = settings.toQueueOptions(name, connector, properties.getPrefix());
    observers.forEach(options::observer);
    return new Queue(name, options.build());
  }

  /** Closes every queue opened; {@link #get} fails afterwards. */
  @Override
  public void close() {
    List<Queue> toClose;
    synchronized (queues) {
      closed = true;
      toClose = new ArrayList<>(queues.values());
      queues.clear();
    }
    for (Queue queue : toClose) {
      queue.close();
    }
  }
}
