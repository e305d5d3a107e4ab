package io.bullpen;

/**
 * The rules for queue names and key prefixes, shared by every module: both become parts of Redis keys
 * ({@code <prefix>:<queue>:<suffix>}), so neither may be empty, contain {@code ':'} or break
 * {@link StoredText}'s rule.
 */
public final class QueueNames {
  private QueueNames() {}

  /**
   * Returns {@code name} when it is a valid queue name.
   *
   * @throws InvalidOptionException naming {@code queueName} otherwise
   */
  public static String requireValidName(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidOptionException("queueName", name, "must be a non-empty string");
    }
    if (name.indexOf(':') >= 0) {
      throw new InvalidOptionException("queueName", name, "must not contain ':'");
    }
    return StoredText.requireWellFormed("queueName", name);
  }

  /**
   * Returns {@code prefix} when it is a valid key prefix.
   *
   * @throws InvalidOptionException naming {@code prefix} otherwise
   */
  public static String requireValidPrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      throw new InvalidOptionException("prefix", prefix, "must be a non-empty string");
    }
    if (prefix.indexOf(':') >= 0) {
      throw new InvalidOptionException("prefix", prefix, "must not contain ':' (it breaks flow key parsing)");
    }
    return StoredText.requireWellFormed("prefix", prefix);
  }
}
