package io.bullpen.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class TestPostgresSmokeTest {
  @Test
  void answers() throws Exception {
    try (Connection c = TestPostgres.shared().connect(); ResultSet rs = c.createStatement().executeQuery("select 41 + 1")) {
      rs.next();
      assertEquals(42, rs.getInt(1));
    }
  }
}
