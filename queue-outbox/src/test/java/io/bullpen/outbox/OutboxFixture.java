package io.bullpen.outbox;

import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One test's outbox: a fresh table in the shared {@link TestPostgres}, and queue names of its own in Redis, so
 * tests never see each other's rows or jobs.
 */
final class OutboxFixture {
  private static final AtomicInteger SEQ = new AtomicInteger();

  final TestPostgres postgres;
  final OutboxOptions options;
  final Outbox outbox;
  final String redisUri;
  final String queueName;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  OutboxFixture(String redisUri) {
    this(TestPostgres.shared(), redisUri);
  }

  OutboxFixture(TestPostgres postgres, String redisUri) {
    this.postgres = postgres;
    int n = SEQ.incrementAndGet();
    String table = "outbox_" + ProcessHandle.current().pid() + "_" + n;
    this.options = OutboxOptions.builder().table(table).build();
    this.outbox = new Outbox(options);
    this.redisUri = redisUri;
    this.queueName = "outbox-test-" + ProcessHandle.current().pid() + "-" + n;
    try (Connection c = postgres.connect()) {
      OutboxSchema.create(c, options);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  QueueOptions queueOptions() {
    return QueueOptions.of(RedisConfig.of(redisUri));
  }

  OutboxRelayOptions.Builder relayOptions() {
    return OutboxRelayOptions.builder()
        .outbox(options)
        .connections(ConnectionSource.of(postgres.dataSource()))
        .queueOptions(queueOptions());
  }

  <T extends AutoCloseable> T closeLater(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  Queue queue() {
    return queue(queueName);
  }

  Queue queue(String name) {
    return closeLater(new Queue(name, queueOptions()));
  }

  /** Enqueues {@code jobs} in one committed transaction. */
  List<Long> commit(List<OutboxJob> jobs) {
    try (Connection c = postgres.connect()) {
      c.setAutoCommit(false);
      List<Long> ids = outbox.enqueueAll(c, jobs);
      c.commit();
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  long commit(OutboxJob job) {
    return commit(List.of(job)).get(0);
  }

  OutboxJob job(Object data) {
    return OutboxJob.of(queueName, "test-job", data);
  }

  long rows() {
    return count("SELECT count(*) FROM " + options.qualifiedTable());
  }

  long count(String sql) {
    try (Connection c = postgres.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  void execute(String sql) {
    try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Jobs of the test's queue in any state. */
  static long jobCount(Queue queue) {
    Map<JobState, Long> counts = queue.getJobCounts();
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Polls {@code condition} every 20 ms until it holds; fails after {@code timeout} with {@code state}. */
  static void await(Duration timeout, String what, BooleanSupplier condition, Supplier<?> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within " + timeout + "; state: " + state.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    execute("DROP TABLE IF EXISTS " + options.qualifiedTable() + "; DROP FUNCTION IF EXISTS "
        + options.qualifiedTable() + "_notify()");
  }
}
