package io.bullpen;

/**
 * Root of every exception Bullpen throws. Unchecked, so callers catch only the precise subclasses they can
 * handle.
 */
public class BullpenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BullpenException(String message) {
    super(message);
  }

  public BullpenException(String message, Throwable cause) {
    super(message, cause);
  }
}
