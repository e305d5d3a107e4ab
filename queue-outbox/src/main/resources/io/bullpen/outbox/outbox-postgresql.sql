-- Bullpen transactional outbox, PostgreSQL 11 or newer.
-- Plain SQL without placeholders: copy it into a Flyway or Liquibase migration as it is. For another table name
-- or schema, OutboxSchema.postgresql(options) renders this file with those names.
-- Rows are written by Outbox.enqueue in the application's transaction and deleted by OutboxRelay once their job
-- is in Redis; a row that keeps failing stays, parked (parked_at set), with its last error.

CREATE TABLE bullpen_outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  relay_key    uuid   NOT NULL,  -- the job's deduplication id in Redis: relayed twice, created once
  queue        text   NOT NULL,
  name         text   NOT NULL,
  data         text   NOT NULL,  -- the job data, JSON
  options      text   NOT NULL,  -- the job options, JSON (Bullpen's outbox format)
  ordering_key text,             -- rows of one key reach Redis in id order
  enqueued_at  bigint NOT NULL,  -- epoch milliseconds, the outbox's clock
  available_at bigint NOT NULL,  -- epoch milliseconds; later than now while a failed add waits to be retried
  attempts     integer NOT NULL DEFAULT 0,  -- failed adds so far
  last_error   text,
  parked_at    bigint            -- set once attempts ran out; the relay leaves the row alone from then on
);

CREATE INDEX bullpen_outbox_pending ON bullpen_outbox (id) WHERE parked_at IS NULL;

CREATE INDEX bullpen_outbox_ordering ON bullpen_outbox (ordering_key, id)
  WHERE parked_at IS NULL AND ordering_key IS NOT NULL;

-- Wakes the relays (LISTEN bullpen_outbox) when an inserting transaction commits.
CREATE FUNCTION bullpen_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('bullpen_outbox', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER bullpen_outbox_notify AFTER INSERT ON bullpen_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION bullpen_outbox_notify();
