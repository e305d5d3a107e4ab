package io.bullpen.outbox;

import java.time.Instant;
import java.util.List;

/**
 * Hears what an {@link OutboxRelay} does, for metrics and alerts (the observability seam: a Micrometer or
 * OpenTelemetry binding implements this). Called on the relay's threads, so keep it quick; an exception it throws
 * is logged and otherwise ignored. Every method does nothing by default.
 */
public interface OutboxListener {
  /** A listener that does nothing. */
  OutboxListener NONE = new OutboxListener() {};

  /**
   * These rows' jobs are in Redis; their rows are not marked yet. A relay that dies now leaves the rows to
   * another relay, whose adds Redis then deduplicates.
   */
  default void onAdded(List<OutboxRecord> rows) {}

  /** These rows were relayed and their deletion committed. */
  default void onRelayed(List<OutboxRecord> rows) {}

  /** Adding the row's job failed; the row waits until {@code nextAttempt}. {@code row.attempts()} counts this one. */
  default void onRetry(OutboxRecord row, Throwable error, Instant nextAttempt) {}

  /** Adding the row's job failed for the last allowed time: the row is parked with {@code error}'s message. */
  default void onParked(OutboxRecord row, Throwable error) {}

  /** Redis could not be reached; rows stay as they were and the relay waits before trying again. */
  default void onRedisUnavailable(Throwable error) {}

  /** The database failed a relay statement (or could not be reached); the relay backs off and tries again. */
  default void onStorageError(Throwable error) {}
}
