package io.bullpen.config;

import java.util.Map;
import java.util.Optional;

/** The effective values of one {@link ConfigSection}, handed to its binder. */
public final class SectionValues {
  /** A value and where it came from. */
  record Value(Object value, String origin) {}

  private final ConfigSection<?> section;
  private final Map<String, Value> values;

  SectionValues(ConfigSection<?> section, Map<String, Value> values) {
    this.section = section;
    this.values = values;
  }

  /** The value of {@code setting}: from the environment, else the file, else its default; null if none. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    Value v = values.get(requireOwn(setting).key());
    return v == null ? null : (T) v.value();
  }

  /** As {@link #get}, empty when the setting has no value and no default. */
  public <T> Optional<T> find(Setting<T> setting) {
    return Optional.ofNullable(get(setting));
  }

  /** Where the value of {@code setting} came from: a file and line, an environment variable, or {@code default}. */
  public String origin(Setting<?> setting) {
    Value v = values.get(requireOwn(setting).key());
    return v == null ? "default" : v.origin();
  }

  /** A {@link ConfigException} for {@code setting} at its origin, for the binder to throw. */
  public ConfigException reject(Setting<?> setting, String problem) {
    return new ConfigException(section.keyOf(setting), origin(setting), problem);
  }

  private Setting<?> requireOwn(Setting<?> setting) {
    if (section.setting(setting.key()).orElse(null) != setting) {
      throw new IllegalArgumentException(setting + " is not a setting of " + section);
    }
    return setting;
  }
}
