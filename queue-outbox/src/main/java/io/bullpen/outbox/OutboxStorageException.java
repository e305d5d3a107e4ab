package io.bullpen.outbox;

import io.bullpen.BullpenException;
import java.sql.SQLException;

/** The database refused or failed an outbox statement; the cause is the driver's {@link SQLException}. */
public class OutboxStorageException extends BullpenException {
  private static final long serialVersionUID = 1L;

  public OutboxStorageException(String message, SQLException cause) {
    super(message + ": " + cause.getMessage(), cause);
  }

  /** The SQLSTATE the database reported, e.g. {@code 42P01} when the outbox table does not exist. */
  public String sqlState() {
    return ((SQLException) getCause()).getSQLState();
  }
}
