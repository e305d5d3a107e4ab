package io.bullpen.outbox.internal;

import io.bullpen.outbox.OutboxRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** A row read back: the record listeners see, and the stored options JSON only the relay reads. */
public record StoredRow(OutboxRecord record, String options) {
  /** The row at the result set's cursor; the columns of {@link PostgresOutboxSql}'s selects. */
  public static StoredRow read(ResultSet rs) throws SQLException {
    long parkedAt = rs.getLong("parked_at");
    boolean parked = !rs.wasNull();
    OutboxRecord record = new OutboxRecord(rs.getLong("id"), rs.getObject("relay_key", UUID.class),
        rs.getString("queue"), rs.getString("name"), rs.getString("data"), rs.getString("ordering_key"),
        Instant.ofEpochMilli(rs.getLong("enqueued_at")), rs.getInt("attempts"), rs.getString("last_error"),
        parked ? Instant.ofEpochMilli(parkedAt) : null);
    return new StoredRow(record, rs.getString("options"));
  }
}
