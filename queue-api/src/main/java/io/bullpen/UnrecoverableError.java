package io.bullpen;

/**
 * Thrown by a processor to fail its job at once, without using the remaining attempts. Its name matches
 * BullMQ's {@code UnrecoverableError}, so Node and Java workers agree on the meaning.
 */
public class UnrecoverableError extends BullpenException {
  private static final long serialVersionUID = 1L;

  public UnrecoverableError(String message) {
    super(message);
  }

  public UnrecoverableError(String message, Throwable cause) {
    super(message, cause);
  }
}
