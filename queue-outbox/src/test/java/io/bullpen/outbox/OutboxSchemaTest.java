package io.bullpen.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class OutboxSchemaTest {
  @Test
  void theDefaultRenderingIsTheShippedFile() throws Exception {
    try (InputStream in = OutboxSchema.class.getResourceAsStream("/" + OutboxSchema.POSTGRESQL_RESOURCE)) {
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          OutboxSchema.postgresql(OutboxOptions.defaults()));
    }
  }

  @Test
  void anotherTableNamesEverythingAfterIt() {
    String sql = OutboxSchema.postgresql(OutboxOptions.builder().table("app.jobs_outbox").build());
    assertFalse(sql.contains("bullpen_outbox"), sql);
    assertTrue(sql.contains("CREATE TABLE app.jobs_outbox ("), sql);
    assertTrue(sql.contains("CREATE INDEX jobs_outbox_pending ON app.jobs_outbox (id)"), sql);
    assertTrue(sql.contains("CREATE FUNCTION app.jobs_outbox_notify()"), sql);
    assertTrue(sql.contains("EXECUTE FUNCTION app.jobs_outbox_notify()"), sql);
    assertTrue(sql.contains("pg_notify('jobs_outbox', '')"), sql);
    assertTrue(sql.contains("CREATE TRIGGER jobs_outbox_notify AFTER INSERT ON app.jobs_outbox"), sql);
  }

  @Test
  void itRunsOnPostgresInAnotherSchema() throws Exception {
    OutboxOptions options = OutboxOptions.builder().table("schema_test.my_outbox").build();
    try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS schema_test CASCADE; CREATE SCHEMA schema_test");
      OutboxSchema.create(c, options);
      Outbox outbox = new Outbox(options);
      c.setAutoCommit(false);
      outbox.enqueue(c, "q", "n", null, null);
      c.commit();
      assertEquals(1, outbox.pendingCount(c));
      c.setAutoCommit(true);
      s.execute("DROP SCHEMA schema_test CASCADE");
    }
  }
}
