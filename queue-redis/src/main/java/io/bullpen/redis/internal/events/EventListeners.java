package io.bullpen.redis.internal.events;

import io.bullpen.event.QueueEvent;
import io.bullpen.event.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one QueueEvents, and delivery to them. Delivery happens on the reader thread in stream order;
 * a listener that throws is logged and skipped, so it can neither stop the reader nor starve other listeners.
 * Per-job listeners sit in a map keyed by job id so thousands of pending waits do not slow every event down.
 */
public final class EventListeners {
  private static final Logger LOG = LoggerFactory.getLogger(EventListeners.class);

  private final String queueName;
  private final List<Consumer<QueueEvent>> general = new CopyOnWriteArrayList<>();
  private final Map<String, List<Consumer<QueueEvent>>> byJob = new ConcurrentHashMap<>();

  public EventListeners(String queueName) {
    this.queueName = queueName;
  }

  /** Registers {@code listener} for events of {@code type} (and its subtypes). */
  public <E extends QueueEvent> Subscription add(Class<E> type, Consumer<? super E> listener) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(listener, "listener");
    Consumer<QueueEvent> filtered = event -> {
      if (type.isInstance(event)) {
        listener.accept(type.cast(event));
      }
    };
    general.add(filtered);
    return () -> general.remove(filtered);
  }

  /** Registers {@code listener} for every event whose {@link QueueEvent#jobId()} is {@code jobId}. */
  public Subscription addForJob(String jobId, Consumer<? super QueueEvent> listener) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(listener, "listener");
    Consumer<QueueEvent> wrapped = listener::accept; // a fresh identity, so the same lambda can register twice
    byJob.compute(jobId, (id, list) -> {
      List<Consumer<QueueEvent>> target = list == null ? new CopyOnWriteArrayList<>() : list;
      target.add(wrapped);
      return target;
    });
    return () -> byJob.computeIfPresent(jobId, (id, list) -> {
      list.remove(wrapped);
      return list.isEmpty() ? null : list;
    });
  }

  /** Hands {@code event} to every matching listener, general ones first. */
  public void deliver(QueueEvent event) {
    for (Consumer<QueueEvent> listener : general) {
      invoke(listener, event);
    }
    event.jobId().ifPresent(jobId -> {
      List<Consumer<QueueEvent>> forJob = byJob.get(jobId);
      if (forJob != null) {
        for (Consumer<QueueEvent> listener : forJob) {
          invoke(listener, event);
        }
      }
    });
  }

  /** How many listeners are registered (general and per-job); for tests and diagnostics. */
  public int size() {
    return general.size() + byJob.values().stream().mapToInt(List::size).sum();
  }

  private void invoke(Consumer<QueueEvent> listener, QueueEvent event) {
    try {
      listener.accept(event);
    } catch (Throwable e) { // sneaky checked exceptions and assertion errors included
      if (e instanceof VirtualMachineError vme) {
        throw vme;
      }
      LOG.warn("QueueEvents listener for queue {} threw on {} event {}; continuing", queueName, event.name(),
          event.eventId(), e);
    }
  }
}
