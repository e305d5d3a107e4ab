package io.bullpen.outbox.internal;

import io.bullpen.outbox.ConnectionSource;
import io.bullpen.outbox.OutboxRelayOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection LISTENing on the table's channel (the schema's trigger notifies on every insert, delivered
 * when the inserting transaction commits) and signals the relay loops on each notification. Reconnects with the
 * error backoff when the connection breaks, and signals once after every (re)subscription, since notifications
 * sent meanwhile are lost. Without the PostgreSQL driver (or on a database that is not PostgreSQL) it stops and
 * the loops only poll.
 */
public final class NotificationListener implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
  private static final int POLL_MILLIS = 250;

  private final ConnectionSource connections;
  private final PostgresOutboxSql sql;
  private final Wakeup wakeup;
  private final OutboxRelayOptions options;
  private volatile boolean running = true;

  public NotificationListener(OutboxRelayOptions options, Wakeup wakeup) {
    this.connections = options.connections();
    this.sql = new PostgresOutboxSql(options.outbox());
    this.wakeup = wakeup;
    this.options = options;
  }

  public void stop() {
    running = false;
  }

  @Override
  public void run() {
    long backoff = options.errorBackoffMin().toMillis();
    boolean warned = false;
    while (running) {
      try {
        listen();
        return;
      } catch (SQLException e) {
        if (!warned) {
          LOG.warn("the outbox relay cannot LISTEN on {}; polling until it can", options.outbox().tableName(), e);
          warned = true;
        }
      } catch (NotPostgres e) {
        LOG.warn("LISTEN/NOTIFY needs the PostgreSQL JDBC driver; the outbox relay only polls: {}", e.getMessage());
        return;
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoff = Math.min(backoff * 2, options.errorBackoffMax().toMillis());
    }
  }

  /** Listens until stopped (returns) or the connection fails (throws). */
  private void listen() throws SQLException, NotPostgres {
    Connection c = connections.get();
    try {
      PGConnection pg = unwrap(c);
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      try (Statement s = c.createStatement()) {
        s.execute(sql.listen);
      }
      wakeup.signal();
      while (running) {
        PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
        if (notifications != null && notifications.length > 0) {
          wakeup.signal();
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("UNLISTEN *");
      }
    } finally {
      try {
        connections.release(c);
      } catch (SQLException e) {
        LOG.debug("cannot release the LISTEN connection", e);
      }
    }
  }

  private static PGConnection unwrap(Connection c) throws SQLException, NotPostgres {
    try {
      if (!c.isWrapperFor(PGConnection.class)) {
        throw new NotPostgres(c.getClass().getName() + " is not a PostgreSQL connection");
      }
      return c.unwrap(PGConnection.class);
    } catch (LinkageError e) {
      throw new NotPostgres(e.toString());
    }
  }

  private static final class NotPostgres extends Exception {
    private static final long serialVersionUID = 1L;

    NotPostgres(String message) {
      super(message);
    }
  }
}
