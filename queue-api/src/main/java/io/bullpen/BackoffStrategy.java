package io.bullpen;

/** A custom backoff registered on a worker under a type name, used by jobs whose {@link Backoff#type()} names it. */
@FunctionalInterface
public interface BackoffStrategy {
  /** Delay before retry {@code attemptsMade + 1}; -1 means fail now, 0 retry at once. */
  long delay(int attemptsMade, String type, Throwable error, Job job);
}
