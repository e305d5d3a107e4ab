package io.bullpen.outbox;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One outbox row as the relay and its listeners see it.
 *
 * @param id the row's id, increasing in insertion order
 * @param relayKey the job's deduplication id in Redis is {@code bullpen-outbox:<relayKey>}
 * @param data the job data as JSON
 * @param orderingKey null when the row has none
 * @param attempts failed adds so far
 * @param lastError the last failed add's error, null when none failed
 * @param parkedAt when the row was parked, null while it is pending
 */
public record OutboxRecord(long id, UUID relayKey, String queue, String name, String data, String orderingKey,
    Instant enqueuedAt, int attempts, String lastError, Instant parkedAt) {

  /** The deduplication id the relay gives this row's job: the same for every add of the row. */
  public String deduplicationId() {
    return DEDUPLICATION_PREFIX + relayKey;
  }

  public Optional<String> ordering() {
    return Optional.ofNullable(orderingKey);
  }

  /** What every outbox job's deduplication id starts with. */
  public static final String DEDUPLICATION_PREFIX = "bullpen-outbox:";
}
