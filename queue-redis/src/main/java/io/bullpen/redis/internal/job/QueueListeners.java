package io.bullpen.redis.internal.job;

import io.bullpen.event.QueueListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The in-process listeners of one queue; a listener that throws is logged and never disturbs the others. */
public final class QueueListeners {
  private static final Logger LOG = LoggerFactory.getLogger(QueueListeners.class);

  private final String queueName;
  private final List<QueueListener> listeners = new CopyOnWriteArrayList<>();

  public QueueListeners(String queueName) {
    this.queueName = queueName;
  }

  public void add(QueueListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public boolean remove(QueueListener listener) {
    return listeners.remove(listener);
  }

  public boolean isEmpty() {
    return listeners.isEmpty();
  }

  /** Calls {@code event} on every listener. */
  public void fire(String eventName, Consumer<QueueListener> event) {
    for (QueueListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError) {
          throw (Error) e;
        }
        LOG.warn("queue {}: listener {} threw from {}", queueName, listener, eventName, e);
      }
    }
  }
}
