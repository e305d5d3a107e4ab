package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.outbox.OutboxOptions;
import io.bullpen.outbox.OutboxSchema;
import io.bullpen.outbox.TestPostgres;
import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** PostgreSQL only: the rows the Spring transactions leave in the outbox. */
class OutboxSpringExampleTest {
  @Test
  void springTransactionsCarryTheJobsWithThemAndTheirRollbacksTakeThemAway() throws Exception {
    Printed printed = new Printed();
    String table = "example_spring_outbox_" + ProcessHandle.current().pid();
    DataSource dataSource = TestPostgres.shared().dataSource();
    try (Connection c = dataSource.getConnection()) {
      OutboxSchema.create(c, OutboxOptions.builder().table(table).build());
    }

    OutboxSpringExample.run(dataSource, Printed.uniqueQueueName("outbox-spring"), table, printed.stream());

    assertEquals(List.of(
        "committed: 2 rows in the outbox",
        "rolled back: still 2 rows in the outbox"), printed.lines());
  }
}
