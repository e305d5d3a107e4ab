/**
 * Bullpen's transactional outbox: jobs written in the application's own database transaction
 * ({@link io.bullpen.outbox.Outbox}) and relayed to Redis exactly once ({@link io.bullpen.outbox.OutboxRelay}).
 * Only {@code io.bullpen.outbox} is exported; the PostgreSQL driver is needed at run time for LISTEN/NOTIFY.
 */
// "requires-transitive-automatic": queue-redis's signatures name Lettuce, an automatic module.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.bullpen.queue.outbox {
  requires transitive io.bullpen.queue.redis;
  requires transitive java.sql;
  requires transitive com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static org.postgresql.jdbc;

  exports io.bullpen.outbox;
}
