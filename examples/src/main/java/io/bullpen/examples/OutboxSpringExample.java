package io.bullpen.examples;

import io.bullpen.outbox.ConnectionSource;
import io.bullpen.outbox.Outbox;
import io.bullpen.outbox.OutboxJob;
import io.bullpen.outbox.OutboxOptions;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox in Spring's transactions, with nothing but spring-jdbc: the job joins the transaction Spring has
 * bound to the thread (what {@code @Transactional} does), through a {@link TransactionAwareDataSourceProxy} or
 * {@link DataSourceUtils}. Prints:
 *
 * <pre>
 * committed: 2 rows in the outbox
 * rolled back: still 2 rows in the outbox
 * </pre>
 *
 * <p>The outbox table must exist (see {@link OutboxExample}); a relay then moves the rows as usual.
 */
public final class OutboxSpringExample {
  private OutboxSpringExample() {}

  /** Enqueues in a committed Spring transaction and in a rolled back one, on outbox table {@code table}. */
  public static void run(DataSource dataSource, String queueName, String table, PrintStream out)
      throws SQLException {
    String orders = table + "_orders";
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + orders + " (id bigserial PRIMARY KEY, email text NOT NULL)");
    }
    Outbox outbox = new Outbox(OutboxOptions.builder().table(table).build());
    // region spring
    TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    // Hands out the connection of the transaction bound to the current thread.
    ConnectionSource bound = ConnectionSource.of(new TransactionAwareDataSourceProxy(dataSource));

    transactions.executeWithoutResult(status -> {                       // or a @Transactional method
      Long orderId = jdbc.queryForObject(
          "INSERT INTO " + orders + " (email) VALUES (?) RETURNING id", Long.class, "ann@example.com");
      outbox.enqueue(bound, OutboxJob.of(queueName, "order-confirmation", orderId));
      // The same, with Spring's helper (do not close a connection it hands out inside a transaction):
      outbox.enqueue(DataSourceUtils.getConnection(dataSource), queueName, "order-audit", orderId, null);
    });
    // endregion
    try (Connection c = dataSource.getConnection()) {
      out.println("committed: " + outbox.pendingCount(c) + " rows in the outbox");
    }
    transactions.executeWithoutResult(status -> {
      Long orderId = jdbc.queryForObject(
          "INSERT INTO " + orders + " (email) VALUES (?) RETURNING id", Long.class, "bob@example.com");
      outbox.enqueue(bound, OutboxJob.of(queueName, "order-confirmation", orderId));
      status.setRollbackOnly();
    });
    try (Connection c = dataSource.getConnection()) {
      out.println("rolled back: still " + outbox.pendingCount(c) + " rows in the outbox");
    }
  }
}
