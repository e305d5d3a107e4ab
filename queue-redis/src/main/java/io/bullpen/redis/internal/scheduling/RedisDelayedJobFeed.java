package io.bullpen.redis.internal.scheduling;

import io.bullpen.redis.internal.connection.RedisLink;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.scheduler.DelayedJobFeed;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * News of delayed jobs from the queues' {@code events} streams: every way into {@code delayed} (add, retry with
 * backoff, changeDelay, a flow parent released with a delay, a scheduler iteration) writes a {@code delayed} event
 * carrying the due time, from Java and Node alike. One blocking XREAD on a dedicated connection follows the streams
 * of all queues. When it (re)starts, it notes where each stream ends and then reports the earliest delayed job of
 * each queue, so nothing written in between is missed.
 */
public final class RedisDelayedJobFeed implements DelayedJobFeed {
  private static final int READ_COUNT = 1000;

  private final Supplier<RedisLink> connector;
  private final Map<String, RedisScheduledQueue> byStream = new LinkedHashMap<>();
  private final Map<String, String> lastIds = new LinkedHashMap<>();
  private final Runnable onClose;
  private RedisLink connection;
  private volatile boolean closed;

  /**
   * @param connector opens the dedicated connection (and again after a failure)
   * @param onClose run once the feed is closed, e.g. to release connections the queues used
   */
  public RedisDelayedJobFeed(Supplier<RedisLink> connector,
      List<RedisScheduledQueue> queues, Runnable onClose) {
    this.connector = connector;
    this.onClose = onClose;
    for (RedisScheduledQueue queue : queues) {
      byStream.put(queue.keys().events(), queue);
    }
  }

  @Override
  public void await(long maxWaitMillis, Listener listener) {
    List<StreamMessage<String, String>> messages;
    try {
      RedisClusterCommands<String, String> redis = connection().sync();
      if (lastIds.isEmpty()) {
        start(redis, listener);
      }
      List<StreamOffset<String>> offsets = new ArrayList<>(lastIds.size());
      lastIds.forEach((stream, id) -> offsets.add(StreamOffset.from(stream, id)));
      @SuppressWarnings("unchecked")
      StreamOffset<String>[] array = offsets.toArray(new StreamOffset[0]);
      messages = redis.xread(XReadArgs.Builder.block(Math.max(1, maxWaitMillis)).count(READ_COUNT), array);
    } catch (RuntimeException e) {
      dropConnection();
      // Start over from a fresh snapshot: what was written while the connection was down is read from the queues.
      lastIds.clear();
      if (closed) {
        return;
      }
      throw RedisCalls.translate(e, "XREAD of the events streams");
    }
    if (messages == null) {
      return;
    }
    for (StreamMessage<String, String> message : messages) {
      lastIds.put(message.getStream(), message.getId());
      Map<String, String> body = message.getBody();
      if ("delayed".equals(body.get("event"))) {
        long due = parseDue(body.get("delay"));
        RedisScheduledQueue queue = byStream.get(message.getStream());
        if (due > 0 && queue != null) {
          listener.delayed(queue, due);
        }
      }
    }
  }

  /** Notes where each stream ends, then reports each queue's earliest delayed job as known now. */
  private void start(RedisClusterCommands<String, String> redis, Listener listener) {
    Map<String, String> ids = new LinkedHashMap<>();
    for (Map.Entry<String, RedisScheduledQueue> entry : byStream.entrySet()) {
      List<StreamMessage<String, String>> last = redis.xrevrange(entry.getKey(), Range.create("-", "+"),
          Limit.from(1));
      ids.put(entry.getKey(), last.isEmpty() ? "0-0" : last.get(0).getId());
    }
    for (RedisScheduledQueue queue : byStream.values()) {
      List<ScoredValue<String>> first = redis.zrangeWithScores(queue.keys().delayed(), 0, 0);
      if (!first.isEmpty()) {
        listener.delayed(queue, RedisScheduledQueue.dueOf(first.get(0).getScore()));
      }
    }
    lastIds.putAll(ids);
  }

  private static long parseDue(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return (long) Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private synchronized RedisLink connection() {
    if (closed) {
      throw new IllegalStateException("the delayed-job feed is closed");
    }
    if (connection == null) {
      connection = connector.get();
    }
    return connection;
  }

  private synchronized void dropConnection() {
    if (connection != null) {
      connection.closeAsync();
      connection = null;
    }
  }

  @Override
  public void close() {
    RedisLink open;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open = connection;
      connection = null;
    }
    try {
      if (open != null) {
        open.close();
      }
    } finally {
      onClose.run();
    }
  }
}
