package io.bullpen.examples;

import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.outbox.ConnectionSource;
import io.bullpen.outbox.Outbox;
import io.bullpen.outbox.OutboxListener;
import io.bullpen.outbox.OutboxOptions;
import io.bullpen.outbox.OutboxRecord;
import io.bullpen.outbox.OutboxRelay;
import io.bullpen.outbox.OutboxRelayOptions;
import io.bullpen.outbox.OutboxSchema;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The outbox guide: an order and its confirmation job written in one PostgreSQL transaction, a second order rolled
 * back with its job, and a relay that moves the committed job to Redis. Prints:
 *
 * <pre>
 * order 1 committed with its job
 * order 2 rolled back: the outbox holds 1 row
 * relayed: order-confirmation {"orderId":1}
 * </pre>
 *
 * <p>Needs a PostgreSQL: {@code JDBC_URL=jdbc:postgresql://127.0.0.1:5432/app?user=app ./mvnw -q -DskipTests -pl
 * examples -am package exec:java -Dexec.mainClass=io.bullpen.examples.OutboxExample}.
 */
public final class OutboxExample {
  /** The job's data. */
  public record Confirmation(long orderId) {}

  private OutboxExample() {}

  public static void main(String[] args) throws Exception {
    String jdbcUrl = System.getenv("JDBC_URL");
    if (jdbcUrl == null) {
      System.err.println("set JDBC_URL to a PostgreSQL database, e.g. jdbc:postgresql://127.0.0.1:5432/app?user=app");
      System.exit(2);
    }
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(jdbcUrl);
    try (RunningRedis redis = RedisLauncher.start()) {
      run(dataSource, redis.uri(), "mail", OutboxOptions.DEFAULT_TABLE, System.out);
    }
  }

  /** Creates the outbox table {@code table} (and an orders table beside it) and runs the guide's steps. */
  public static void run(DataSource dataSource, String redisUri, String queueName, String table, PrintStream out)
      throws SQLException, InterruptedException {
    String orders = table + "_orders";
    // region schema
    OutboxOptions outboxOptions = OutboxOptions.builder().table(table).build();   // default "bullpen_outbox"
    try (Connection c = dataSource.getConnection()) {
      OutboxSchema.create(c, outboxOptions);       // quick starts and tests; in production, a migration
    }
    // endregion
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + orders + " (id bigserial PRIMARY KEY, email text NOT NULL)");
    }

    // region enqueue
    Outbox outbox = new Outbox(outboxOptions);     // thread-safe, holds no connection
    try (Connection tx = dataSource.getConnection()) {
      tx.setAutoCommit(false);
      long orderId = insertOrder(tx, orders, "ann@example.com");                 // the business write
      outbox.enqueue(tx, queueName, "order-confirmation", new Confirmation(orderId),
          JobOptions.builder().attempts(5).build());                             // in the same transaction
      tx.commit();                                                               // both, or neither
      out.println("order " + orderId + " committed with its job");
    }
    // endregion
    try (Connection tx = dataSource.getConnection()) {
      tx.setAutoCommit(false);
      long orderId = insertOrder(tx, orders, "bob@example.com");
      outbox.enqueue(tx, queueName, "order-confirmation", new Confirmation(orderId), null);
      tx.rollback();
      out.println("order " + orderId + " rolled back: the outbox holds " + outbox.pendingCount(tx) + " row");
    }

    // region relay
    CountDownLatch relayed = new CountDownLatch(1);
    OutboxRelayOptions relayOptions = OutboxRelayOptions.builder()
        .outbox(outboxOptions)
        .connections(ConnectionSource.of(dataSource))                    // a pool in production
        .queueOptions(QueueOptions.of(RedisConfig.of(redisUri)))         // the queues' Redis, prefix, defaults
        .listener(new OutboxListener() {                                 // metrics and alerts hook in here
          @Override
          public void onRelayed(List<OutboxRecord> rows) {
            rows.forEach(row -> relayed.countDown());
          }
        })
        .build();
    try (OutboxRelay relay = OutboxRelay.start(relayOptions);          // claims, adds, deletes; wakes on NOTIFY
        Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redisUri)))) {
      relayed.await(30, TimeUnit.SECONDS);
      Job job = queue.getJobs(Set.of(JobState.WAITING), 0, -1, true).get(0);
      out.println("relayed: " + job.name() + " " + job.dataJson());
    }
    // endregion
  }

  static long insertOrder(Connection tx, String orders, String email) throws SQLException {
    try (PreparedStatement insert = tx.prepareStatement("INSERT INTO " + orders + " (email) VALUES (?) RETURNING id")) {
      insert.setString(1, email);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
