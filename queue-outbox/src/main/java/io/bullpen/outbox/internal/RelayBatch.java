package io.bullpen.outbox.internal;

import io.bullpen.QueueConnectionException;
import io.bullpen.outbox.ConnectionSource;
import io.bullpen.outbox.OutboxListener;
import io.bullpen.outbox.OutboxRecord;
import io.bullpen.outbox.OutboxRelayOptions;
import io.bullpen.outbox.OutboxStorageException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay transaction: claim due rows ({@code FOR UPDATE SKIP LOCKED}, under the lease), hold back keyed rows
 * whose key has an earlier row elsewhere, add the rest to Redis ({@link JobAdds}), then delete the added rows and
 * record failed attempts, and commit. Until the commit the rows stay locked, so no other relay takes them; if this
 * relay dies first, PostgreSQL rolls the transaction back and the rows are claimed again, their jobs deduplicated
 * by Redis.
 */
public final class RelayBatch {
  private static final Logger LOG = LoggerFactory.getLogger(RelayBatch.class);

  /** What one transaction did. {@code progressed}: rows whose state changed (added, retried or parked). */
  public record Result(int claimed, int added, int progressed, Throwable redisUnavailable) {}

  private final PostgresOutboxSql sql;
  private final ConnectionSource connections;
  private final JobAdds adds;
  private final QueueRegistry queues;
  private final OutboxRelayOptions options;
  private final OutboxListener listener;
  private final Clock clock;
  private final String leaseMillis;

  public RelayBatch(OutboxRelayOptions options, QueueRegistry queues, JobAdds adds) {
    this.queues = queues;
    this.options = options;
    this.sql = new PostgresOutboxSql(options.outbox());
    this.connections = options.connections();
    this.adds = adds;
    this.listener = options.listener();
    this.clock = options.outbox().clock();
    this.leaseMillis = Long.toString(options.lease().toMillis());
  }

  /**
   * Runs one transaction on a connection of its own, given back afterwards.
   *
   * @throws OutboxStorageException when the database fails; nothing this call did is committed then
   */
  public Result run() throws InterruptedException {
    Connection c = open();
    try {
      return run(c);
    } finally {
      release(c);
    }
  }

  /** A connection from the relay's source. */
  public Connection open() {
    try {
      return connections.get();
    } catch (SQLException e) {
      throw new OutboxStorageException("cannot get a connection for the outbox relay", e);
    }
  }

  /** Gives a connection back to the relay's source, logging a failure. */
  public void release(Connection c) {
    try {
      connections.release(c);
    } catch (SQLException e) {
      LOG.warn("cannot release the outbox relay's connection", e);
    }
  }

  /**
   * Runs one transaction on {@code c} (a loop keeps its connection between transactions: opening one per batch
   * would cost more than the batch).
   *
   * @throws OutboxStorageException when the database fails; nothing this call did is committed then, and the
   *     connection should be given back rather than used again
   */
  public Result run(Connection c) throws InterruptedException {
    boolean autoCommit = true;
    try {
      autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      return inTransaction(c);
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw new OutboxStorageException("the outbox relay's transaction on " + options.outbox().qualifiedTable()
          + " failed", e);
    } catch (RuntimeException | InterruptedException | Error e) {
      rollbackQuietly(c);
      throw e;
    } finally {
      try {
        c.setAutoCommit(autoCommit);
      } catch (SQLException ignored) {
        // a broken connection; the pool finds out
      }
    }
  }

  private Result inTransaction(Connection c) throws SQLException, InterruptedException {
    List<StoredRow> claimed = claim(c);
    Set<String> unopened = new HashSet<>();
    claimed.forEach(row -> {
      if (!queues.isOpen(row.record().queue())) {
        unopened.add(row.record().queue());
      }
    });
    if (!unopened.isEmpty()) {
      // Connecting a queue may take long (a cold client, Redis's startup wait): not under the lease.
      c.rollback();
      for (String queue : unopened) {
        try {
          queues.get(queue);
        } catch (QueueConnectionException e) {
          return new Result(0, 0, 0, e);
        } catch (RuntimeException refused) {
          // A queue Bullpen refuses (a row written by hand with a bad name): its rows fail their adds below,
          // count attempts and are parked, as any other poison row.
        }
      }
      claimed = claim(c);
    }
    if (claimed.isEmpty()) {
      c.commit();
      return new Result(0, 0, 0, null);
    }
    Set<Long> waiting = earlierOfSameKey(c, claimed);
    List<StoredRow> rows = new ArrayList<>(claimed.size());
    for (StoredRow row : claimed) {
      if (!waiting.contains(row.record().id())) {
        rows.add(row);
      }
    }
    Map<Long, JobAdds.Outcome> outcomes = adds.add(rows);

    List<OutboxRecord> added = new ArrayList<>();
    List<StoredRow> failed = new ArrayList<>();
    Throwable unavailable = null;
    for (StoredRow row : rows) {
      JobAdds.Outcome outcome = outcomes.get(row.record().id());
      if (outcome instanceof JobAdds.Added) {
        added.add(row.record());
      } else if (outcome instanceof JobAdds.Failed) {
        failed.add(row);
      } else if (outcome instanceof JobAdds.Unavailable u && unavailable == null) {
        unavailable = u.error();
      }
    }
    if (!added.isEmpty()) {
      notify(() -> listener.onAdded(added));
      delete(c, added);
    }
    List<Runnable> afterCommit = new ArrayList<>();
    if (!failed.isEmpty()) {
      recordFailures(c, failed, outcomes, clock.millis(), afterCommit);
    }
    c.commit();
    if (!added.isEmpty()) {
      notify(() -> listener.onRelayed(added));
    }
    afterCommit.forEach(RelayBatch::notify);
    return new Result(claimed.size(), added.size(), added.size() + failed.size(), unavailable);
  }

  /** Starts the lease and claims the due rows. */
  private List<StoredRow> claim(Connection c) throws SQLException {
    try (PreparedStatement lease = c.prepareStatement(sql.lease)) {
      lease.setString(1, leaseMillis);
      lease.execute();
    }
    long now = clock.millis();
    List<StoredRow> rows = new ArrayList<>();
    try (PreparedStatement claim = c.prepareStatement(sql.claim)) {
      claim.setLong(1, now);
      claim.setLong(2, now);
      claim.setInt(3, options.batchSize());
      try (ResultSet rs = claim.executeQuery()) {
        while (rs.next()) {
          rows.add(StoredRow.read(rs));
        }
      }
    }
    return rows;
  }

  /** The claimed keyed rows that must wait: an earlier row of their key is pending outside this claim. */
  private Set<Long> earlierOfSameKey(Connection c, List<StoredRow> claimed) throws SQLException {
    List<Long> keyed = new ArrayList<>();
    List<Long> all = new ArrayList<>(claimed.size());
    for (StoredRow row : claimed) {
      all.add(row.record().id());
      if (row.record().orderingKey() != null) {
        keyed.add(row.record().id());
      }
    }
    Set<Long> waiting = new HashSet<>();
    if (keyed.isEmpty()) {
      return waiting;
    }
    try (PreparedStatement check = c.prepareStatement(sql.earlierOfSameKey)) {
      check.setArray(1, ids(c, keyed));
      check.setArray(2, ids(c, all));
      try (ResultSet rs = check.executeQuery()) {
        while (rs.next()) {
          waiting.add(rs.getLong(1));
        }
      }
    }
    return waiting;
  }

  private void delete(Connection c, List<OutboxRecord> added) throws SQLException {
    List<Long> ids = new ArrayList<>(added.size());
    added.forEach(r -> ids.add(r.id()));
    try (PreparedStatement delete = c.prepareStatement(sql.delete)) {
      delete.setArray(1, ids(c, ids));
      delete.executeUpdate();
    }
  }

  private void recordFailures(Connection c, List<StoredRow> failed, Map<Long, JobAdds.Outcome> outcomes, long now,
      List<Runnable> afterCommit) throws SQLException {
    try (PreparedStatement retry = c.prepareStatement(sql.retryLater);
        PreparedStatement park = c.prepareStatement(sql.park)) {
      for (StoredRow row : failed) {
        OutboxRecord r = row.record();
        Throwable error = ((JobAdds.Failed) outcomes.get(r.id())).error();
        int attempts = r.attempts() + 1;
        String message = describe(error);
        if (attempts >= options.maxAttempts()) {
          park.setInt(1, attempts);
          park.setLong(2, now);
          park.setString(3, message);
          park.setLong(4, r.id());
          park.addBatch();
          OutboxRecord parked = withFailure(r, attempts, message, Instant.ofEpochMilli(now));
          LOG.warn("outbox row {} (queue {}, job {}) parked after {} failed adds: {}", r.id(), r.queue(), r.name(),
              attempts, message);
          afterCommit.add(() -> listener.onParked(parked, error));
        } else {
          long next = now + options.retryBackoff().builtInDelay(attempts, ThreadLocalRandom.current().nextDouble());
          retry.setInt(1, attempts);
          retry.setLong(2, next);
          retry.setString(3, message);
          retry.setLong(4, r.id());
          retry.addBatch();
          OutboxRecord retried = withFailure(r, attempts, message, null);
          LOG.debug("outbox row {} failed add {} of {}: {}", r.id(), attempts, options.maxAttempts(), message);
          afterCommit.add(() -> listener.onRetry(retried, error, Instant.ofEpochMilli(next)));
        }
      }
      retry.executeBatch();
      park.executeBatch();
    }
  }

  private static OutboxRecord withFailure(OutboxRecord r, int attempts, String error, Instant parkedAt) {
    return new OutboxRecord(r.id(), r.relayKey(), r.queue(), r.name(), r.data(), r.orderingKey(), r.enqueuedAt(),
        attempts, error, parkedAt);
  }

  private static String describe(Throwable error) {
    String message = error.getClass().getName() + ": " + error.getMessage();
    return message.length() > 4000 ? message.substring(0, 4000) : message;
  }

  private static Array ids(Connection c, List<Long> ids) throws SQLException {
    return c.createArrayOf("bigint", ids.toArray());
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; PostgreSQL ends the transaction itself
    }
  }

  static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("an OutboxListener failed", e);
    }
  }
}
