package io.bullpen.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where the outbox gets a JDBC connection and how it gives it back. The relay takes one per batch and releases it
 * at once (a pool's connection goes back to the pool); {@link Outbox#enqueue(ConnectionSource, OutboxJob)} takes
 * the one bound to the current transaction.
 *
 * <p>With Spring, without the outbox depending on Spring: a {@code TransactionAwareDataSourceProxy} is a
 * {@link DataSource} handing out the transaction's connection, so {@code ConnectionSource.of(proxy)} works as is;
 * or name Spring's helpers:
 * {@code ConnectionSource.of(() -> DataSourceUtils.getConnection(ds), c -> DataSourceUtils.releaseConnection(c, ds))}.
 */
@FunctionalInterface
public interface ConnectionSource {
  /** A connection, open. */
  Connection get() throws SQLException;

  /** Gives back a connection {@link #get()} returned; closes it unless the source says otherwise. */
  default void release(Connection connection) throws SQLException {
    connection.close();
  }

  /** What to do with a connection once the outbox is done with it. */
  @FunctionalInterface
  interface Release {
    void release(Connection connection) throws SQLException;
  }

  /** Connections from {@code dataSource}, closed after use. */
  static ConnectionSource of(DataSource dataSource) {
    return Require.nonNull("dataSource", dataSource)::getConnection;
  }

  /** Connections from {@code get}, given back with {@code release}. */
  static ConnectionSource of(ConnectionSource get, Release release) {
    Require.nonNull("get", get);
    Require.nonNull("release", release);
    return new ConnectionSource() {
      @Override
      public Connection get() throws SQLException {
        return get.get();
      }

      @Override
      public void release(Connection connection) throws SQLException {
        release.release(connection);
      }
    };
  }
}
