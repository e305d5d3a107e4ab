package io.bullpen.redis.internal.worker;

import io.bullpen.redis.internal.connection.RedisLink;
import io.bullpen.redis.internal.script.RedisCalls;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScoredValue;
import java.time.Clock;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for work the way BullMQ's idle workers do: BZPOPMIN on the queue's {@code marker} on a dedicated
 * connection, for drainDelay when no delayed job is known, else until the next delayed job is due (at most
 * 10 s). A ready marker, a due delay marker or a timeout all mean "fetch now"; markers are only hints.
 */
final class MarkerWaiter implements AutoCloseable {
  static final long MAX_BLOCK_MILLIS = 10_000;
  private static final double MIN_BLOCK_SECONDS = 0.002;

  private final Supplier<RedisLink> connector;
  private final Runnable onStuck;
  private final String markerKey;
  private final long drainDelayMillis;
  private final long watchdogExtraMillis;
  private final Clock clock;
  private RedisLink connection;
  private volatile boolean closed;

  /** @param onStuck told when a wait outlived its deadline (its server may have stopped answering) */
  public MarkerWaiter(Supplier<RedisLink> connector, Runnable onStuck, String markerKey, long drainDelayMillis,
      long commandTimeoutMillis, Clock clock) {
    this.connector = connector;
    this.onStuck = onStuck;
    this.markerKey = markerKey;
    this.drainDelayMillis = drainDelayMillis;
    this.watchdogExtraMillis = commandTimeoutMillis + 1000;
    this.clock = clock;
  }

  /** Opens the blocking connection now (so the worker shows up in CLIENT LIST) if it is not open yet. */
  public void connect() {
    currentOrOpened();
  }

  /**
   * The blocking connection, opened if there is none; null once closed. Connecting happens outside the monitor:
   * {@link #abandonWait} runs on topology changes and must not wait for a connect, which on Lettuce's event loop
   * would wait for itself.
   */
  private RedisLink currentOrOpened() {
    synchronized (this) {
      if (closed) {
        return null;
      }
      if (connection != null) {
        return connection;
      }
    }
    RedisLink opened = connector.get();
    RedisLink current;
    synchronized (this) {
      if (!closed && connection == null) {
        connection = opened;
        return opened;
      }
      current = closed ? null : connection;
    }
    opened.closeAsync();
    return current;
  }

  /**
   * Blocks until a job may be ready.
   *
   * @param nextDelayedDue epoch ms when the earliest delayed job is due, 0 if unknown
   * @param stop checked between blocks; true ends the wait
   */
  public void await(long nextDelayedDue, BooleanSupplier stop) {
    long blockUntil = nextDelayedDue;
    while (!closed && !stop.getAsBoolean()) {
      long now = clock.millis();
      long waitMillis;
      if (blockUntil > 0) {
        waitMillis = blockUntil - now;
        if (waitMillis <= 0) {
          return;
        }
        waitMillis = Math.min(waitMillis, MAX_BLOCK_MILLIS);
      } else {
        waitMillis = drainDelayMillis;
      }
      double seconds = Math.max(waitMillis / 1000.0, MIN_BLOCK_SECONDS);
      KeyValue<String, ScoredValue<String>> popped = block(seconds, waitMillis + watchdogExtraMillis);
      if (popped == null || !popped.hasValue()) {
        return;
      }
      ScoredValue<String> marker = popped.getValue();
      if (!"1".equals(marker.getValue()) || marker.getScore() <= clock.millis()) {
        return;
      }
      // A delay marker for later: remember when that job is due and wait for it (or for a new job).
      blockUntil = (long) Math.ceil(marker.getScore());
    }
  }

  private KeyValue<String, ScoredValue<String>> block(double seconds, long watchdogMillis) {
    RedisLink conn = currentOrOpened();
    if (conn == null) {
      return null;
    }
    try {
      return RedisCalls.await(conn.async().bzpopmin(seconds, markerKey), watchdogMillis, "BZPOPMIN " + markerKey);
    } catch (RuntimeException e) {
      synchronized (this) {
        if (closed || connection != conn) {
          return null;  // closed, or abandoned by abandonWait(): fetch now, a new wait opens a new connection
        }
      }
      // A connection stuck in a block that never returns is replaced, as BullMQ's watchdog does.
      if (e.getCause() instanceof TimeoutException || e.getCause() instanceof RedisCommandTimeoutException) {
        reset(conn);
        onStuck.run();
      }
      throw e;
    }
  }

  private synchronized void reset(RedisLink stuck) {
    if (connection == stuck) {
      connection = null;
      stuck.closeAsync();
    }
  }

  /**
   * Ends the wait in progress by closing its connection, for a wait that may be stuck on a node that stopped
   * answering (a cluster master frozen while its replica took over): the caller fetches at once, and the next wait
   * opens a new connection.
   */
  public void abandonWait() {
    RedisLink stuck;
    synchronized (this) {
      stuck = connection;
      connection = null;
    }
    if (stuck != null) {
      stuck.closeAsync();
    }
  }

  /** Closes the blocking connection, which also ends a BZPOPMIN in progress. */
  @Override
  public void close() {
    RedisLink conn;
    synchronized (this) {
      closed = true;
      conn = connection;
      connection = null;
    }
    if (conn != null) {
      conn.close();
    }
  }
}
