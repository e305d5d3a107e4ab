package io.bullpen.config;

import io.bullpen.BullpenException;
import java.util.Optional;

/**
 * A configuration value was refused: an unknown key, a value of the wrong type or a bad value, or a file that is
 * not TOML. The message names the key ({@code redis.command_timeout}), where the value came from (the file and
 * line, or the environment variable) and what is wrong.
 */
public final class ConfigException extends BullpenException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String origin;

  public ConfigException(String key, String origin, String problem) {
    super(origin + ": " + (key == null ? "" : key + ": ") + problem);
    this.key = key;
    this.origin = origin;
  }

  public ConfigException(String key, String origin, String problem, Throwable cause) {
    super(origin + ": " + (key == null ? "" : key + ": ") + problem, cause);
    this.key = key;
    this.origin = origin;
  }

  /** The dotted key, e.g. {@code redis.command_timeout}; empty for an error of the file as a whole. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /**
   * Where the refused value came from: {@code /etc/bullpen.toml line 3}, {@code environment BULLPEN_REDIS_URI} or
   * {@code default}.
   */
  public String origin() {
    return origin;
  }
}
