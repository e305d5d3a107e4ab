package io.bullpen.redis.internal.scheduling;

import io.bullpen.redis.internal.connection.RedisLink;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.scheduler.DelayedJobFeed;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * News of delayed jobs from the queues' {@code events} streams: every way into {@code delayed} (add, retry with
 * backoff, changeDelay, a flow parent released with a delay, a scheduler iteration) writes a {@code delayed} event,
 * from Java and Node alike. One blocking XREAD on a dedicated connection follows the streams of all queues, and
 * reads one entry per stream only: a stream with news is not read through (a busy queue writes several events per
 * job, and decoding them all cost a worker about a tenth of its CPU) but skipped to its end, and the queue's
 * earliest delayed job is read instead. The end is noted before the delayed set is read, so a job written in
 * between is seen by one or the other, never by neither.
 */
public final class RedisDelayedJobFeed implements DelayedJobFeed {

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
    RedisLink link;
    try {
      link = connection();
      if (lastIds.isEmpty()) {
        skipToEnd(link, byStream.keySet(), listener);
      }
      List<StreamOffset<String>> offsets = new ArrayList<>(lastIds.size());
      lastIds.forEach((stream, id) -> offsets.add(StreamOffset.from(stream, id)));
      @SuppressWarnings("unchecked")
      StreamOffset<String>[] array = offsets.toArray(new StreamOffset[0]);
      messages = link.sync().xread(XReadArgs.Builder.block(Math.max(1, maxWaitMillis)).count(1), array);
      if (messages != null && !messages.isEmpty()) {
        Set<String> news = new LinkedHashSet<>();
        for (StreamMessage<String, String> message : messages) {
          news.add(message.getStream());
        }
        skipToEnd(link, news, listener);
      }
    } catch (RuntimeException e) {
      dropConnection();
      // Start over from a fresh snapshot: what was written while the connection was down is read from the queues.
      lastIds.clear();
      if (closed) {
        return;
      }
      throw RedisCalls.translate(e, "XREAD of the events streams");
    }
  }

  /**
   * Notes where each of {@code streams} ends, then reports its queue's earliest delayed job as known now: all
   * commands sent at once, ends first.
   */
  private void skipToEnd(RedisLink link, Collection<String> streams, Listener listener) {
    RedisClusterAsyncCommands<String, String> redis = link.async();
    Map<String, RedisFuture<List<StreamMessage<String, String>>>> ends = new LinkedHashMap<>();
    for (String stream : streams) {
      ends.put(stream, redis.xrevrange(stream, Range.create("-", "+"), Limit.from(1)));
    }
    Map<String, RedisFuture<List<ScoredValue<String>>>> earliest = new LinkedHashMap<>();
    for (String stream : streams) {
      earliest.put(stream, redis.zrangeWithScores(byStream.get(stream).keys().delayed(), 0, 0));
    }
    for (String stream : streams) {
      List<StreamMessage<String, String>> last = RedisCalls.awaitUnbounded(ends.get(stream), "XREVRANGE " + stream);
      lastIds.put(stream, last.isEmpty() ? "0-0" : last.get(0).getId());
    }
    for (String stream : streams) {
      List<ScoredValue<String>> first = RedisCalls.awaitUnbounded(earliest.get(stream), "ZRANGE of delayed");
      if (!first.isEmpty()) {
        listener.delayed(byStream.get(stream), RedisScheduledQueue.dueOf(first.get(0).getScore()));
      }
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
