/**
 * The transactional outbox: {@link io.bullpen.outbox.Outbox} writes jobs as rows in the caller's transaction,
 * {@link io.bullpen.outbox.OutboxRelay} moves committed rows to their Bullpen queues, exactly once per row, and
 * {@link io.bullpen.outbox.OutboxSchema} holds the table's SQL. See docs/outbox.md for the guarantees.
 */
package io.bullpen.outbox;
