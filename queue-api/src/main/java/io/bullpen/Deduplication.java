package io.bullpen;

/**
 * BullMQ's {@code deduplication} job option: while a job owns {@code id}, adding another job with the same id
 * stores nothing and returns the owner (a {@code deduplicated} event names both).
 *
 * <ul>
 *   <li>{@code Deduplication.of(id)}: the id is owned until the owner completes, fails or is removed.
 *   <li>{@code .withTtl(ms)} (throttle): ownership also ends after {@code ttl}; with {@code .withExtend()} every absorbed
 *       add restarts the ttl.
 *   <li>{@code .withReplace()} (debounce, usually with a delay): a new add replaces an owner that is still delayed.
 *   <li>{@code .withKeepLastIfActive()}: an add arriving while the owner runs is kept (the last one wins) and becomes
 *       a job when the owner finishes.
 * </ul>
 *
 * @param ttlMillis 0 for no ttl
 */
public record Deduplication(String id, long ttlMillis, boolean extend, boolean replace, boolean keepLastIfActive) {
  public Deduplication {
    if (id == null || id.isEmpty()) {
      throw new InvalidOptionException("deduplication.id", id, "must be a non-empty string");
    }
    StoredText.requireWellFormed("deduplication.id", id);
    if (ttlMillis < 0) {
      throw new InvalidOptionException("deduplication.ttl", ttlMillis, "must be >= 0 ms (0 for none)");
    }
  }

  /** Simple deduplication on {@code id}, without ttl. */
  public static Deduplication of(String id) {
    return new Deduplication(id, 0, false, false, false);
  }

  public Deduplication withTtl(long millis) {
    if (millis <= 0) {
      throw new InvalidOptionException("deduplication.ttl", millis, "must be > 0 ms");
    }
    return new Deduplication(id, millis, extend, replace, keepLastIfActive);
  }

  public Deduplication withExtend() {
    return new Deduplication(id, ttlMillis, true, replace, keepLastIfActive);
  }

  public Deduplication withReplace() {
    return new Deduplication(id, ttlMillis, extend, true, keepLastIfActive);
  }

  public Deduplication withKeepLastIfActive() {
    return new Deduplication(id, ttlMillis, extend, replace, true);
  }
}
