package io.bullpen.redis.internal.events;

import io.bullpen.event.QueueEvent;
import io.bullpen.redis.internal.script.RedisCalls;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.bullpen.redis.internal.connection.RedisLink;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one event stream with blocking XREAD on a dedicated connection and one background thread, handing each
 * entry, parsed, to a sink in stream order. Remembers the last id handed over, so after Redis goes away it
 * resumes exactly there (retrying with exponential backoff). {@link #stop} closes the connection, which ends a
 * pending XREAD at once.
 */
public final class EventStreamReader {
  private static final Logger LOG = LoggerFactory.getLogger(EventStreamReader.class);
  private static final long FIRST_RETRY_MILLIS = 100;
  private static final long LONGEST_RETRY_MILLIS = 5_000;
  private static final int BATCH = 1_000;

  private final Supplier<RedisLink> connector;
  private RedisLink connection;
  private final String streamKey;
  private final Duration block;
  private final long replyTimeoutMillis;
  private final Consumer<QueueEvent> sink;
  private final CountDownLatch stopping = new CountDownLatch(1);

  private volatile String lastId;
  private volatile boolean stopped;
  private Thread thread;

  /**
   * @param startId {@code $} for "events written from now on", or the stream id after which to start
   * @param commandTimeout how long Redis may take beyond the block time before a read counts as failed
   */
  public EventStreamReader(Supplier<RedisLink> connector, String streamKey, String startId,
      Duration block, Duration commandTimeout, Consumer<QueueEvent> sink) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.connection = connector.get();
    this.streamKey = Objects.requireNonNull(streamKey, "streamKey");
    this.lastId = Objects.requireNonNull(startId, "startId");
    this.block = Objects.requireNonNull(block, "block");
    this.replyTimeoutMillis = block.toMillis() + commandTimeout.toMillis() + 1_000;
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /**
   * Starts the reader thread. A start id of {@code $} is first turned into the id of the newest entry (done here,
   * synchronously, rather than passing {@code $} to XREAD) so that every event written after this method returns
   * is delivered, including those written before the first XREAD reaches Redis or between two reads.
   *
   * @throws io.bullpen.QueueConnectionException when Redis cannot be asked for the newest entry
   * @throws IllegalStateException when already started or stopped
   */
  public synchronized void start(String threadName) {
    if (thread != null || stopped) {
      throw new IllegalStateException(stopped ? "the event reader is closed" : "the event reader is already running");
    }
    if ("$".equals(lastId)) {
      lastId = newestId();
    }
    thread = new Thread(this::readUntilStopped, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  public synchronized boolean isStarted() {
    return thread != null;
  }

  /** The id of the last entry handed to the sink, or the start position when none was yet. */
  public String lastId() {
    return lastId;
  }

  /**
   * Stops reading: closes the connection (ending a blocked XREAD), then waits up to {@code join} for the thread
   * to finish delivering the entry it may be handing over. Does not wait when called from the reader thread itself
   * (a listener closing its QueueEvents).
   */
  public void stop(Duration join) {
    Thread running;
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
      running = thread;
    }
    stopping.countDown();
    RedisLink open;
    synchronized (this) {
      open = connection;
      connection = null;
    }
    if (open != null) {
      open.closeAsync();
    }
    if (running != null && running != Thread.currentThread()) {
      try {
        running.join(join.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (running.isAlive()) {
        LOG.warn("event reader for {} still busy in a listener after {}; leaving it to finish", streamKey, join);
      }
    }
  }

  /**
   * Ends the read in progress by closing its connection; reading goes on from the last delivered id on a new one.
   * For a read that may be stuck on a cluster node that stopped answering: a frozen master, once thawed, could
   * still answer it with entries its replica, the new master, never got, and their ids would make the reader skip
   * the new master's entries.
   */
  public void abandonRead() {
    RedisLink stuck;
    synchronized (this) {
      if (stopped) {
        return;
      }
      stuck = connection;
      connection = null;
    }
    if (stuck != null) {
      stuck.closeAsync();
    }
  }

  /**
   * The reading connection's commands, opening a connection when there is none or it closed. Connecting happens
   * outside the monitor: {@link #abandonRead} runs on topology changes and must not wait for a connect.
   */
  private RedisClusterAsyncCommands<String, String> commands() {
    synchronized (this) {
      if (stopped) {
        throw new IllegalStateException("the event reader is closed");
      }
      if (connection != null && connection.isOpen()) {
        return connection.async();
      }
    }
    RedisLink opened = connector.get();
    synchronized (this) {
      if (!stopped && (connection == null || !connection.isOpen())) {
        connection = opened;
        return opened.async();
      }
    }
    opened.closeAsync();
    return commands();
  }

  private String newestId() {
    List<StreamMessage<String, String>> newest = RedisCalls.await(
        commands().xrevrange(streamKey, Range.unbounded(), Limit.from(1)), replyTimeoutMillis,
        "XREVRANGE " + streamKey);
    return newest.isEmpty() ? "0-0" : newest.get(0).getId();
  }

  private void readUntilStopped() {
    long retryMillis = FIRST_RETRY_MILLIS;
    boolean failing = false;
    while (!stopped) {
      List<StreamMessage<String, String>> batch;
      try {
        batch = RedisCalls.await(readAfter(lastId), replyTimeoutMillis, "XREAD " + streamKey);
      } catch (RuntimeException e) {
        if (stopped) {
          break;
        }
        if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
          // A read that outlived its deadline may be stuck on a dead socket: start over on a new connection.
          abandonRead();
        }
        LOG.warn("reading events from {} failed ({}); retrying in {} ms from id {}", streamKey, e.getMessage(),
            retryMillis, lastId);
        LOG.debug("event read failure", e);
        failing = true;
        if (awaitStop(retryMillis)) {
          break;
        }
        retryMillis = Math.min(retryMillis * 2, LONGEST_RETRY_MILLIS);
        continue;
      }
      if (failing) {
        LOG.info("reading events from {} again, after id {}", streamKey, lastId);
        failing = false;
        retryMillis = FIRST_RETRY_MILLIS;
      }
      for (StreamMessage<String, String> message : batch == null ? List.<StreamMessage<String, String>>of() : batch) {
        if (stopped) {
          return;
        }
        lastId = message.getId();
        hand(message);
      }
    }
  }

  @SuppressWarnings("unchecked") // Lettuce's xread takes generic varargs
  private RedisFuture<List<StreamMessage<String, String>>> readAfter(String id) {
    return commands().xread(XReadArgs.Builder.block(block).count(BATCH), XReadArgs.StreamOffset.from(streamKey, id));
  }

  private void hand(StreamMessage<String, String> message) {
    try {
      sink.accept(QueueEvent.parse(message.getId(), message.getBody()));
    } catch (RuntimeException e) {
      // The sink isolates listeners already; this guards the loop against a bug there.
      LOG.error("dropping event {} of {} after an unexpected failure", message.getId(), streamKey, e);
    }
  }

  private boolean awaitStop(long millis) {
    try {
      return stopping.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("event reader for {} interrupted; it stops reading", streamKey);
      return true;
    }
  }
}
