package io.bullpen;

/**
 * A custom backoff registered under a type name (on a worker, or on a queue for its lease API), used by jobs whose
 * {@link Backoff#type()} names it.
 */
@FunctionalInterface
public interface BackoffStrategy {
  /** Delay before retry {@code attemptsMade + 1}; -1 means fail now, 0 retry at once. */
  long delay(int attemptsMade, String type, Throwable error, Job job);

  /**
   * Checks a registration: {@code type} is a non-empty name other than the built-in ones, {@code strategy} is
   * given.
   *
   * @throws InvalidOptionException naming {@code backoffStrategy.type} or {@code backoffStrategy} otherwise
   */
  static void checkRegistration(String type, BackoffStrategy strategy) {
    if (type == null || type.isBlank()) {
      throw new InvalidOptionException("backoffStrategy.type", type, "must be a non-empty name");
    }
    if (Backoff.FIXED.equals(type) || Backoff.EXPONENTIAL.equals(type)) {
      throw new InvalidOptionException("backoffStrategy.type", type, "is built in and cannot be replaced");
    }
    if (strategy == null) {
      throw new InvalidOptionException("backoffStrategy", null, "must not be null");
    }
  }
}
