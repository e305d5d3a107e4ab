package io.bullpen.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One table of the configuration file ({@code [redis]}, {@code [server]}, ...): its {@link Setting}s and how their
 * values become the object a program uses. Any module can declare its own section; {@link BullpenConfig} reads it
 * with the same rules as Bullpen's own: unknown keys, wrong types and bad values are errors naming key, file and
 * line, and every setting can be overridden by {@link #envName(Setting) BULLPEN_<TABLE>_<KEY>}.
 *
 * @param <T> what the section binds to, e.g. {@link io.bullpen.redis.RedisConfig}
 */
public final class ConfigSection<T> {
  private final String table;
  private final Map<String, Setting<?>> settings;
  private final Function<SectionValues, T> binder;

  private ConfigSection(String table, Map<String, Setting<?>> settings, Function<SectionValues, T> binder) {
    this.table = table;
    this.settings = settings;
    this.binder = binder;
  }

  /**
   * A section for {@code [table]} with {@code settings}, bound by {@code binder}. The binder reads values with
   * {@link SectionValues#get}; an {@link io.bullpen.InvalidOptionException} it throws is reported at the setting its
   * field names (camelCase field {@code commandTimeout} for key {@code command_timeout}), and
   * {@link SectionValues#reject} reports any other problem at a setting.
   */
  public static <T> ConfigSection<T> of(String table, List<Setting<?>> settings, Function<SectionValues, T> binder) {
    if (table == null || !table.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("a table name is snake_case, was " + table);
    }
    Map<String, Setting<?>> byKey = new LinkedHashMap<>();
    for (Setting<?> s : settings) {
      if (byKey.put(s.key(), s) != null) {
        throw new IllegalArgumentException("setting " + table + "." + s.key() + " is declared twice");
      }
    }
    return new ConfigSection<>(table, java.util.Collections.unmodifiableMap(byKey), Objects.requireNonNull(binder));
  }

  /** The table name, e.g. {@code redis}. */
  public String table() {
    return table;
  }

  /** The settings in declaration order. */
  public List<Setting<?>> settings() {
    return List.copyOf(settings.values());
  }

  Optional<Setting<?>> setting(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  /** The dotted key of {@code setting}: {@code redis.command_timeout}. */
  public String keyOf(Setting<?> setting) {
    return table + "." + setting.key();
  }

  /** The environment variable overriding {@code setting}: {@code BULLPEN_REDIS_COMMAND_TIMEOUT}. */
  public String envName(Setting<?> setting) {
    return "BULLPEN_" + table.toUpperCase(Locale.ROOT) + "_" + setting.key().toUpperCase(Locale.ROOT);
  }

  T bind(SectionValues values) {
    return binder.apply(values);
  }

  @Override
  public String toString() {
    return "[" + table + "]";
  }
}
