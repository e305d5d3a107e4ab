package io.bullpen.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.redis.RawJson;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Writing rows in the caller's transaction; PostgreSQL only (no relay, no Redis). */
class OutboxEnqueueTest {
  private final OutboxFixture f = new OutboxFixture("redis://127.0.0.1:1");

  @AfterEach
  void drop() {
    f.close();
  }

  @Test
  void aRolledBackTransactionLeavesNoRow() throws Exception {
    try (Connection c = f.postgres.connect()) {
      c.setAutoCommit(false);
      f.outbox.enqueue(c, f.queueName, "welcome", Map.of("to", "ann@example.com"), null);
      assertEquals(0, f.rows(), "another session sees nothing before the commit");
      c.rollback();
    }
    assertEquals(0, f.rows());
  }

  @Test
  void aCommittedTransactionLeavesExactlyItsRows() throws Exception {
    List<Long> ids;
    try (Connection c = f.postgres.connect()) {
      c.setAutoCommit(false);
      ids = f.outbox.enqueueAll(c, List.of(f.job(Map.of("n", 1)), f.job(RawJson.of("[1, 2]")),
          f.job(null).withOptions(JobOptions.builder().priority(3).build()).withOrderingKey("k")));
      c.commit();
    }
    assertEquals(3, ids.size());
    assertTrue(ids.get(0) < ids.get(1) && ids.get(1) < ids.get(2), ids.toString());
    assertEquals(3, f.rows());
    assertEquals(1, f.count("SELECT count(*) FROM " + f.options.qualifiedTable()
        + " WHERE data = '{\"n\":1}' AND options = '{}' AND ordering_key IS NULL"));
    assertEquals(1, f.count("SELECT count(*) FROM " + f.options.qualifiedTable() + " WHERE data = '[1, 2]'"));
    assertEquals(1, f.count("SELECT count(*) FROM " + f.options.qualifiedTable()
        + " WHERE data = '{}' AND options = '{\"priority\":3}' AND ordering_key = 'k'"));
  }

  @Test
  void anAutoCommitConnectionIsRefusedBecauseTheRowWouldNotBelongToATransaction() throws Exception {
    try (Connection c = f.postgres.connect()) {
      InvalidOptionException e = assertThrows(InvalidOptionException.class,
          () -> f.outbox.enqueue(c, f.queueName, "n", null, null));
      assertEquals("tx", e.field());
    }
    assertEquals(0, f.rows());
  }

  @Test
  void badDataIsRefusedBeforeAnythingIsWrittenAndTheTransactionGoesOn() throws Exception {
    try (Connection c = f.postgres.connect()) {
      c.setAutoCommit(false);
      Object unserialisable = new Object();
      InvalidOptionException e = assertThrows(InvalidOptionException.class,
          () -> f.outbox.enqueueAll(c, List.of(f.job(1), f.job(unserialisable))));
      assertEquals("data", e.field());
      assertEquals("data", assertThrows(InvalidOptionException.class,
          () -> f.outbox.enqueue(c, f.job("half a pair \ud800"))).field());
      f.outbox.enqueue(c, f.job(2));
      c.commit();
    }
    assertEquals(1, f.rows());
  }

  @Test
  void aConnectionSourceGivesTheTransactionsConnectionAndTakesItBack() throws Exception {
    try (Connection c = f.postgres.connect()) {
      c.setAutoCommit(false);
      int[] released = {0};
      ConnectionSource bound = ConnectionSource.of(() -> c, given -> released[0]++);
      f.outbox.enqueue(bound, f.job(1));
      assertEquals(1, released[0]);
      assertEquals(1, f.outbox.pendingCount(c), "the row is in the caller's transaction");
      assertEquals(0, f.rows(), "and not yet visible outside it");
      c.rollback();
    }
    assertEquals(0, f.rows());
  }
}
