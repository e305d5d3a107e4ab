package io.bullpen.outbox.internal;

import io.bullpen.outbox.OutboxListener;
import io.bullpen.outbox.OutboxRelayOptions;
import io.bullpen.outbox.OutboxStorageException;
import java.sql.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claiming loop of a relay, holding one connection (given back after a database error, and taken again):
 * runs {@link RelayBatch}es back to back while they make progress, then waits,
 * doubling the wait from {@code idleBackoff}'s min to its max while nothing comes (a notification ends the wait
 * at once), or from {@code errorBackoff}'s while Redis or the database fail (notifications do not end those).
 */
public final class RelayLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayLoop.class);

  private final RelayBatch batch;
  private final Wakeup wakeup;
  private final OutboxRelayOptions options;
  private final OutboxListener listener;
  private volatile boolean running = true;

  public RelayLoop(RelayBatch batch, Wakeup wakeup, OutboxRelayOptions options) {
    this.batch = batch;
    this.wakeup = wakeup;
    this.options = options;
    this.listener = options.listener();
  }

  public void stop() {
    running = false;
  }

  @Override
  public void run() {
    long idle = options.idleBackoffMin().toMillis();
    long error = options.errorBackoffMin().toMillis();
    long seen = wakeup.generation();
    boolean failing = false;
    Connection connection = null;
    try {
      while (running) {
        RelayBatch.Result result;
        try {
          if (connection == null) {
            connection = batch.open();
          }
          result = batch.run(connection);
        } catch (OutboxStorageException e) {
          if (connection != null) {
            batch.release(connection);
            connection = null;
          }
          if (!failing) {
            LOG.warn("the outbox relay cannot reach {}; retrying with backoff", options.outbox().qualifiedTable(), e);
          }
          failing = true;
          RelayBatch.notify(() -> listener.onStorageError(e));
          sleep(error);
          error = Math.min(error * 2, options.errorBackoffMax().toMillis());
          continue;
        } catch (RuntimeException e) {
          if (connection != null) {
            batch.release(connection);
            connection = null;
          }
          LOG.error("the outbox relay's transaction failed unexpectedly; retrying with backoff", e);
          failing = true;
          sleep(error);
          error = Math.min(error * 2, options.errorBackoffMax().toMillis());
          continue;
        }
        if (result.redisUnavailable() != null) {
          if (!failing) {
            LOG.warn("the outbox relay cannot reach Redis; retrying with backoff: {}",
                result.redisUnavailable().toString());
          }
          failing = true;
          RelayBatch.notify(() -> listener.onRedisUnavailable(result.redisUnavailable()));
          sleep(error);
          error = Math.min(error * 2, options.errorBackoffMax().toMillis());
          continue;
        }
        if (failing) {
          LOG.info("the outbox relay on {} works again", options.outbox().qualifiedTable());
          failing = false;
        }
        error = options.errorBackoffMin().toMillis();
        if (result.progressed() > 0) {
          idle = options.idleBackoffMin().toMillis();
          continue;
        }
        long now = wakeup.await(seen, idle);
        if (now != seen) {
          seen = now;
          idle = options.idleBackoffMin().toMillis();
        } else {
          idle = Math.min(idle * 2, options.idleBackoffMax().toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (connection != null) {
        batch.release(connection);
      }
    }
  }

  private void sleep(long millis) throws InterruptedException {
    // Closing signals the wakeup; notifications must not cut an error backoff short, so wait in a loop.
    long deadline = System.nanoTime() + millis * 1_000_000;
    long seen = wakeup.generation();
    while (running) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return;
      }
      seen = wakeup.await(seen, left);
    }
  }
}
