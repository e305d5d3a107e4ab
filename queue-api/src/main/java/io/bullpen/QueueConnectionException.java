package io.bullpen;

/** Redis could not be reached, or did not answer within the configured timeout. */
public class QueueConnectionException extends BullpenException {
  private static final long serialVersionUID = 1L;

  public QueueConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
