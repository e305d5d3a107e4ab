package io.bullpen.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The outbox table's SQL. The jar holds it for the default names as {@code io/bullpen/outbox/outbox-postgresql.sql}
 * (plain SQL for a Flyway or Liquibase migration); {@link #postgresql} renders it for other names, and
 * {@link #create} runs it, for tests and quick starts.
 */
public final class OutboxSchema {
  /** Where the default schema file lies on the class path. */
  public static final String POSTGRESQL_RESOURCE = "io/bullpen/outbox/outbox-postgresql.sql";

  private OutboxSchema() {}

  /** The PostgreSQL DDL for {@code options}' table: the table, its two indexes, the notify function and trigger. */
  public static String postgresql(OutboxOptions options) {
    Require.nonNull("options", options);
    String table = options.tableName();
    String prefix = options.qualifiedTable().substring(0, options.qualifiedTable().length() - table.length());
    return template()
        // The function is schema-qualified like the table; the index and trigger names cannot be.
        .replace("bullpen_outbox_notify()", prefix + table + "_notify()")
        .replace("'bullpen_outbox'", "'" + table + "'")
        .replaceAll("\\bbullpen_outbox_(\\w+)", table + "_$1")
        .replaceAll("\\bbullpen_outbox\\b", options.qualifiedTable());
  }

  /**
   * Runs {@link #postgresql} on {@code connection}: in its transaction when one is open (the caller commits), else
   * statement by statement.
   *
   * @throws OutboxStorageException when PostgreSQL refuses it, e.g. because the table exists
   */
  public static void create(Connection connection, OutboxOptions options) {
    String sql = postgresql(options);
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new OutboxStorageException("cannot create the outbox table " + options.qualifiedTable(), e);
    }
  }

  private static String template() {
    try (InputStream in = OutboxSchema.class.getResourceAsStream("/" + POSTGRESQL_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(POSTGRESQL_RESOURCE + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
