package io.bullpen.server.internal.cache;

import io.bullpen.server.internal.queues.RedisReads;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The version of each queue's data, which a cached read must match. It has two parts: the newest id of the queue's
 * event stream, which every writer (Bullpen or Node BullMQ, anywhere) advances with each change, read again when the
 * last look is older than the poll interval; and a counter this server bumps after each write it makes itself, so
 * that a read after a write through this server never sees the old data, whatever the interval.
 */
public final class QueueVersions {
  private final RedisReads reads;
  private final String prefix;
  private final long pollNanos;
  private final LongSupplier nanoTime;
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final AtomicLong polls = new AtomicLong();

  private static final class State {
    final AtomicLong local = new AtomicLong();
    volatile String streamId = "";
    volatile long polledAt;
    volatile boolean polled;
  }

  public QueueVersions(RedisReads reads, String prefix, long pollNanos, LongSupplier nanoTime) {
    this.reads = reads;
    this.prefix = prefix;
    this.pollNanos = pollNanos;
    this.nanoTime = nanoTime;
  }

  /** The queue's version now. */
  public String current(String queue) {
    State state = states.computeIfAbsent(queue, q -> new State());
    long local = state.local.get();
    long now = nanoTime.getAsLong();
    if (!state.polled || now - state.polledAt >= pollNanos) {
      synchronized (state) {
        if (!state.polled || now - state.polledAt >= pollNanos) {
          state.streamId = reads.newestEventId(prefix + ":" + queue);
          state.polledAt = nanoTime.getAsLong();
          state.polled = true;
          polls.incrementAndGet();
        }
      }
    }
    return state.streamId + "#" + local;
  }

  /** A write through this server changed the queue: later reads must not use what was cached before. */
  public void bump(String queue) {
    State state = states.computeIfAbsent(queue, q -> new State());
    state.local.incrementAndGet();
    // The write also moved the event stream: look at it on the next read, so that the version moves once for this
    // write rather than now and again at the next poll.
    state.polled = false;
  }

  public long polls() {
    return polls.get();
  }
}
