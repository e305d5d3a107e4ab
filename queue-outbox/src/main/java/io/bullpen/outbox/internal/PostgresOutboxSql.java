package io.bullpen.outbox.internal;

import io.bullpen.outbox.OutboxOptions;

/**
 * Every statement the outbox sends, in PostgreSQL's dialect, for one table: the one place to change for another
 * database. Times are epoch milliseconds from the outbox's clock, bound as parameters.
 */
public final class PostgresOutboxSql {
  private static final String COLUMNS =
      "id, relay_key, queue, name, data, options, ordering_key, enqueued_at, attempts, last_error, parked_at";

  public final String insert;
  /**
   * Claims up to {@code ?3} rows due at {@code ?1} (= {@code ?2}), oldest first, locking them for this
   * transaction. Rows other relays hold are skipped. A keyed row is taken only behind no earlier row of its key
   * that waits for a retry, and with its key's advisory lock, so one relay at a time handles a key; the order
   * itself is then checked by {@link #earlierOfSameKey}.
   */
  public final String claim;
  /**
   * Of the claimed keyed rows {@code ?1}, those with an earlier pending row of their key that is not among the
   * claimed rows {@code ?2}: they must wait. Run after the claim, so its snapshot sees every commit the claim
   * waited for.
   */
  public final String earlierOfSameKey;
  public final String delete;
  public final String retryLater;
  public final String park;
  /** Ends this session's transaction when it sits idle longer than {@code ?1} ms: the claim's lease. */
  public final String lease;
  public final String listen;
  public final String listParked;
  public final String unpark;
  public final String countPending;

  public PostgresOutboxSql(OutboxOptions options) {
    String t = options.qualifiedTable();
    insert = "INSERT INTO " + t
        + " (relay_key, queue, name, data, options, ordering_key, enqueued_at, available_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    claim = "SELECT " + COLUMNS + " FROM " + t + " o"
        + " WHERE parked_at IS NULL AND available_at <= ?"
        + " AND (ordering_key IS NULL OR (NOT EXISTS (SELECT 1 FROM " + t + " e"
        + " WHERE e.ordering_key = o.ordering_key AND e.id < o.id AND e.parked_at IS NULL AND e.available_at > ?)"
        + " AND pg_try_advisory_xact_lock(hashtext('" + t + "'), hashtext(o.ordering_key))))"
        + " ORDER BY id LIMIT ? FOR UPDATE OF o SKIP LOCKED";
    earlierOfSameKey = "SELECT o.id FROM " + t + " o WHERE o.id = ANY(?) AND EXISTS (SELECT 1 FROM " + t + " e"
        + " WHERE e.ordering_key = o.ordering_key AND e.id < o.id AND e.parked_at IS NULL AND e.id <> ALL(?))";
    delete = "DELETE FROM " + t + " WHERE id = ANY(?)";
    retryLater = "UPDATE " + t + " SET attempts = ?, available_at = ?, last_error = ? WHERE id = ?";
    park = "UPDATE " + t + " SET attempts = ?, parked_at = ?, last_error = ? WHERE id = ?";
    lease = "SELECT set_config('idle_in_transaction_session_timeout', ?, true)";
    listen = "LISTEN " + options.tableName();
    listParked = "SELECT " + COLUMNS + " FROM " + t + " WHERE parked_at IS NOT NULL ORDER BY id LIMIT ?";
    unpark = "UPDATE " + t + " SET parked_at = NULL, attempts = 0, last_error = NULL, available_at = ?"
        + " WHERE id = ? AND parked_at IS NOT NULL";
    countPending = "SELECT count(*) FROM " + t + " WHERE parked_at IS NULL";
  }
}
