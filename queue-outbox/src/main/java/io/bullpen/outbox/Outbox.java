package io.bullpen.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.StoredText;
import io.bullpen.outbox.internal.PostgresOutboxSql;
import io.bullpen.outbox.internal.StoredOptions;
import io.bullpen.outbox.internal.StoredRow;
import io.bullpen.redis.RawJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes jobs into the outbox table inside the caller's database transaction: the job exists once that
 * transaction commits and never if it rolls back. An {@link OutboxRelay} then adds it to its queue.
 *
 * <pre>{@code
 * Outbox outbox = new Outbox(OutboxOptions.defaults());
 * connection.setAutoCommit(false);
 * insertOrder(connection, order);
 * outbox.enqueue(connection, "mail", "order-confirmation", new Confirmation(order.id()), null);
 * connection.commit();
 * }</pre>
 *
 * <p>Thread-safe and cheap: it holds no connection. Everything about a job is checked before anything is written:
 * bad input throws {@link InvalidOptionException} and leaves the transaction as it was. A failing statement throws
 * {@link OutboxStorageException}; the caller's transaction is then aborted (PostgreSQL's rule) and should be rolled
 * back.
 */
public final class Outbox {
  private final OutboxOptions options;
  private final PostgresOutboxSql sql;

  public Outbox(OutboxOptions options) {
    Require.nonNull("options", options);
    this.options = options;
    this.sql = new PostgresOutboxSql(options);
  }

  public OutboxOptions options() {
    return options;
  }

  /**
   * Writes one job in {@code tx}'s transaction and returns its row id.
   *
   * @param options null for the queue's default options
   * @throws InvalidOptionException for a bad job, or when {@code tx} is in auto-commit mode (the row would not
   *     belong to the caller's transaction)
   */
  public long enqueue(Connection tx, String queue, String name, Object data, JobOptions options) {
    return enqueue(tx, new OutboxJob(queue, name, data, options, null));
  }

  /** As {@link #enqueue(Connection, String, String, Object, JobOptions)}, for a job with an ordering key. */
  public long enqueue(Connection tx, OutboxJob job) {
    return enqueueAll(tx, List.of(job)).get(0);
  }

  /** Writes every job in {@code tx}'s transaction, in order (one batch of statements); returns their row ids. */
  public List<Long> enqueueAll(Connection tx, List<OutboxJob> jobs) {
    if (tx == null) {
      throw new InvalidOptionException("tx", null, "must be the connection of an open transaction");
    }
    if (jobs == null || jobs.isEmpty() || jobs.stream().anyMatch(java.util.Objects::isNull)) {
      throw new InvalidOptionException("jobs", jobs, "must be a non-empty list without nulls");
    }
    List<String[]> rendered = new ArrayList<>(jobs.size());
    for (OutboxJob job : jobs) {
      rendered.add(new String[] {dataJson(job.data()), StoredOptions.write(job.options())});
    }
    try {
      if (tx.getAutoCommit()) {
        throw new InvalidOptionException("tx", "autoCommit=true",
            "the connection is in auto-commit mode, so the row would commit on its own; open a transaction "
                + "(setAutoCommit(false), or Spring's @Transactional with its bound connection)");
      }
      long now = options.clock().millis();
      try (PreparedStatement insert = tx.prepareStatement(sql.insert, new String[] {"id"})) {
        for (int i = 0; i < jobs.size(); i++) {
          OutboxJob job = jobs.get(i);
          insert.setObject(1, UUID.randomUUID());
          insert.setString(2, job.queue());
          insert.setString(3, job.name());
          insert.setString(4, rendered.get(i)[0]);
          insert.setString(5, rendered.get(i)[1]);
          if (job.orderingKey() == null) {
            insert.setNull(6, Types.VARCHAR);
          } else {
            insert.setString(6, job.orderingKey());
          }
          insert.setLong(7, now);
          insert.setLong(8, now);
          if (jobs.size() == 1) {
            insert.executeUpdate();
          } else {
            insert.addBatch();
          }
        }
        if (jobs.size() > 1) {
          insert.executeBatch();
        }
        List<Long> ids = new ArrayList<>(jobs.size());
        try (ResultSet keys = insert.getGeneratedKeys()) {
          while (keys.next()) {
            ids.add(keys.getLong(1));
          }
        }
        return ids;
      }
    } catch (SQLException e) {
      throw new OutboxStorageException("cannot write to the outbox table " + options.qualifiedTable(), e);
    }
  }

  /**
   * Writes one job on the connection {@code source} hands out (with Spring, the one bound to the current
   * transaction), then gives it back with {@link ConnectionSource#release}.
   */
  public long enqueue(ConnectionSource source, OutboxJob job) {
    return enqueueAll(source, List.of(job)).get(0);
  }

  /** As {@link #enqueueAll(Connection, List)} on the connection {@code source} hands out. */
  public List<Long> enqueueAll(ConnectionSource source, List<OutboxJob> jobs) {
    Require.nonNull("source", source);
    Connection tx;
    try {
      tx = source.get();
    } catch (SQLException e) {
      throw new OutboxStorageException("cannot get a connection for the outbox", e);
    }
    try {
      return enqueueAll(tx, jobs);
    } finally {
      try {
        source.release(tx);
      } catch (SQLException e) {
        throw new OutboxStorageException("cannot give back the outbox's connection", e);
      }
    }
  }

  // ---- parked rows -------------------------------------------------------------------------------------------

  /** The oldest {@code limit} parked rows: rows whose adds kept failing, with their last error. */
  public List<OutboxRecord> parked(Connection connection, int limit) {
    if (limit < 1) {
      throw new InvalidOptionException("limit", limit, "must be >= 1");
    }
    try (PreparedStatement select = connection.prepareStatement(sql.listParked)) {
      select.setInt(1, limit);
      List<OutboxRecord> rows = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rows.add(StoredRow.read(rs).record());
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new OutboxStorageException("cannot read parked rows of " + options.qualifiedTable(), e);
    }
  }

  /**
   * Puts a parked row back in line with a fresh count of attempts (once its cause is fixed); false when the row
   * is not parked. Runs in {@code connection}'s transaction, if any.
   */
  public boolean unpark(Connection connection, long id) {
    try (PreparedStatement update = connection.prepareStatement(sql.unpark)) {
      update.setLong(1, options.clock().millis());
      update.setLong(2, id);
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new OutboxStorageException("cannot unpark row " + id + " of " + options.qualifiedTable(), e);
    }
  }

  /** Rows waiting to be relayed (parked rows not counted). */
  public long pendingCount(Connection connection) {
    try (PreparedStatement count = connection.prepareStatement(sql.countPending);
        ResultSet rs = count.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new OutboxStorageException("cannot count the rows of " + options.qualifiedTable(), e);
    }
  }

  private String dataJson(Object data) {
    if (data == null) {
      return "{}";
    }
    String json;
    if (data instanceof RawJson raw) {
      json = raw.json();
    } else {
      try {
        json = options.dataMapper().writeValueAsString(data);
      } catch (JsonProcessingException | RuntimeException e) {
        throw new InvalidOptionException("data", data.getClass().getName(),
            "cannot be serialised to JSON: " + e.getMessage(), e);
      }
    }
    // PostgreSQL's text is UTF-8 too: the driver would store '?' for an unpaired surrogate.
    return StoredText.requireWellFormed("data", json);
  }

  @Override
  public String toString() {
    return "Outbox{" + options.qualifiedTable() + "}";
  }
}
