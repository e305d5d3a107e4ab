package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.bullpen.event.QueueEvent;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Helpers shared by the QueueEvents tests: a raw Lettuce writer, event collection and polling. */
final class EventsTesting {
  static final Duration PATIENCE = Duration.ofSeconds(15);

  private EventsTesting() {}

  static String uniqueQueue() {
    return QueueNames.unique("q");
  }

  /** A plain connection, independent of the QueueEvents under test, that writes like another process would. */
  static final class Writer implements AutoCloseable {
    final DirectRedis direct;
    final RedisClusterCommands<String, String> redis;

    Writer(RunningRedis server) {
      direct = DirectRedis.connect(server);
      redis = direct.sync();
    }

    /** XADD with the fields in exactly the given order, as BullMQ's scripts write them; returns the entry id. */
    String event(String eventsKey, String... fieldsAndValues) {
      return redis.xadd(eventsKey, (Object[]) fieldsAndValues);
    }

    @Override
    public void close() {
      direct.close();
    }
  }

  /** Collects delivered events in arrival order. */
  static final class Collector implements Consumer<QueueEvent> {
    final List<QueueEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void accept(QueueEvent event) {
      events.add(event);
    }

    List<QueueEvent> awaitCount(int count) {
      await(() -> events.size() >= count, "expected " + count + " events, got " + events);
      return List.copyOf(events);
    }
  }

  static void await(BooleanSupplier condition, String message) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + PATIENCE + ": " + message);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  static QueueEventsOptions options(String uri) {
    return QueueEventsOptions.builder().redis(RedisConfig.of(uri)).build();
  }
}
