package io.bullpen.outbox;

import io.bullpen.ClosedException;
import io.bullpen.outbox.internal.JobAdds;
import io.bullpen.outbox.internal.NotificationListener;
import io.bullpen.outbox.internal.QueueRegistry;
import io.bullpen.outbox.internal.RelayBatch;
import io.bullpen.outbox.internal.RelayLoop;
import io.bullpen.outbox.internal.Wakeup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves committed outbox rows to their queues: claims due rows in batches ({@code SELECT … FOR UPDATE SKIP
 * LOCKED}, so parallel relays, in one process or many, never hold the same row), adds each row's job with a
 * deduplication id derived from the row (a second add of a row, after a relay died between the add and the
 * delete, creates nothing), deletes the rows and commits. Wakes on the table's NOTIFY, and polls with a backoff
 * when idle. Failed adds are retried with a backoff; a row whose adds keep failing is parked with its error
 * ({@link Outbox#parked}), never blocking the others.
 *
 * <pre>{@code
 * OutboxRelay relay = OutboxRelay.start(OutboxRelayOptions.builder()
 *     .connections(ConnectionSource.of(dataSource))
 *     .queueOptions(QueueOptions.of(RedisConfig.of("redis://127.0.0.1:6379")))
 *     .build());
 * // ... on shutdown
 * relay.close();
 * }</pre>
 *
 * <p>Thread-safe. Runs {@code concurrency} loops and one LISTEN thread, all daemon threads; {@link #close()} lets
 * the current batches finish and closes the queues it opened.
 */
public final class OutboxRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  private final OutboxRelayOptions options;
  private final QueueRegistry queues;
  private final RelayBatch batch;
  private final Wakeup wakeup = new Wakeup();
  private final List<RelayLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private NotificationListener notifications;
  private boolean started;
  private boolean closed;

  /** A relay that is not running yet: {@link #start()} it, or drive it with {@link #relayOnce()}. */
  public OutboxRelay(OutboxRelayOptions options) {
    Require.nonNull("options", options);
    this.options = options;
    this.queues = new QueueRegistry(options.queueOptions());
    this.batch = new RelayBatch(options, queues, new JobAdds(queues, options.deduplicationWindow()));
  }

  /** A relay, started. */
  public static OutboxRelay start(OutboxRelayOptions options) {
    OutboxRelay relay = new OutboxRelay(options);
    relay.start();
    return relay;
  }

  /** Starts the loops and the LISTEN thread; calling it again does nothing. */
  public synchronized OutboxRelay start() {
    if (closed) {
      throw new ClosedException("the outbox relay is closed");
    }
    if (started) {
      return this;
    }
    started = true;
    if (options.listen()) {
      try {
        notifications = new NotificationListener(options, wakeup);
        threads.add(thread(notifications, options.name() + "-listen"));
      } catch (LinkageError e) {
        LOG.warn("LISTEN/NOTIFY needs the PostgreSQL JDBC driver; the outbox relay only polls: {}", e.toString());
      }
    }
    for (int i = 0; i < options.concurrency(); i++) {
      RelayLoop loop = new RelayLoop(batch, wakeup, options);
      loops.add(loop);
      threads.add(thread(loop, options.name() + "-" + i));
    }
    threads.forEach(Thread::start);
    return this;
  }

  /**
   * Runs one relay transaction on the caller's thread (whether or not the relay is started) and returns how many
   * rows it moved to Redis. For tests, and for applications that schedule relaying themselves.
   *
   * @throws OutboxStorageException when the database fails
   * @throws io.bullpen.QueueConnectionException when Redis could not be reached (rows added before stay relayed)
   */
  public int relayOnce() {
    synchronized (this) {
      if (closed) {
        throw new ClosedException("the outbox relay is closed");
      }
    }
    try {
      RelayBatch.Result result = batch.run();
      if (result.redisUnavailable() != null) {
        throw new io.bullpen.QueueConnectionException("Redis could not be reached; " + result.added()
            + " rows were relayed before", result.redisUnavailable());
      }
      return result.added();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClosedException("interrupted while relaying", e);
    }
  }

  public OutboxRelayOptions options() {
    return options;
  }

  /**
   * Stops the loops after their current batch (waiting at most the lease plus 5 s for them), then closes the
   * queues. Rows a loop could not finish stay in the table for the next relay. Calling it again does nothing.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    loops.forEach(RelayLoop::stop);
    if (notifications != null) {
      notifications.stop();
    }
    wakeup.signal();
    long deadline = System.nanoTime() + options.lease().plus(Duration.ofSeconds(5)).toNanos();
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (thread.isAlive()) {
        LOG.warn("{} did not stop in time; interrupting it", thread.getName());
        thread.interrupt();
      }
    }
    queues.close();
  }

  private static Thread thread(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public String toString() {
    return "OutboxRelay{" + options.outbox().qualifiedTable() + ", " + options.name() + "}";
  }
}
