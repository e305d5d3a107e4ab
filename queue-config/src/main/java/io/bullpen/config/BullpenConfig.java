package io.bullpen.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.bullpen.InvalidOptionException;
import io.bullpen.config.SectionValues.Value;
import io.bullpen.config.internal.KeyLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The effective configuration of one program: the {@link ConfigSection}s it reads, each value taken from its
 * {@code BULLPEN_<TABLE>_<KEY>} environment variable, else the TOML file, else the setting's default. Everything
 * is checked at {@link #load}: an unknown table or key, a wrong type or a bad value fails with a
 * {@link ConfigException} naming the key, the file and the line (or the environment variable).
 *
 * <p>One file serves every Bullpen program, so a table that another program reads ({@link #SHARED_TABLES}) is
 * accepted and left alone by a program that does not bind it.
 */
public final class BullpenConfig {
  /**
   * Tables read by Bullpen's programs. A program that binds none of them by a {@link ConfigSection} ignores them,
   * so one file can configure the CLI, the HTTP server and worker runners together; any other unknown table is an
   * error.
   */
  public static final Set<String> SHARED_TABLES = Set.of("redis", "queue", "cli", "migration", "server", "worker",
      "outbox", "metrics", "tracing");

  private static final TomlMapper TOML = new TomlMapper();

  private final Path file;
  private final Map<ConfigSection<?>, Object> bound;
  private final Map<ConfigSection<?>, SectionValues> values;

  private BullpenConfig(Path file, Map<ConfigSection<?>, Object> bound, Map<ConfigSection<?>, SectionValues> values) {
    this.file = file;
    this.bound = bound;
    this.values = values;
  }

  /**
   * Reads {@code file} (null: no file, defaults and environment only) and binds {@code sections}, with
   * {@code env} (usually {@code System.getenv()}) overriding the file.
   *
   * @throws ConfigException for a file that cannot be read or is not TOML, an unknown table or key, a value of the
   *     wrong type or a value a setting or binder refuses
   */
  public static BullpenConfig load(Path file, Map<String, String> env, List<ConfigSection<?>> sections) {
    JsonNode root = TOML.createObjectNode();
    KeyLines lines = KeyLines.of("");
    String where = "no file";
    if (file != null) {
      where = file.toString();
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException(null, where, "cannot read the configuration file: " + e, e);
      }
      lines = KeyLines.of(text);
      try {
        root = TOML.readTree(text);
      } catch (JsonProcessingException e) {
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        if (e.getOriginalMessage().startsWith("Duplicate key")) {
          line = lines.firstDuplicateLine().orElse(line);
        }
        throw new ConfigException(null, where + (line > 0 ? " line " + line : ""),
            "not valid TOML: " + e.getOriginalMessage(), e);
      }
    }
    Map<String, ConfigSection<?>> byTable = new LinkedHashMap<>();
    for (ConfigSection<?> s : sections) {
      if (byTable.put(s.table(), s) != null) {
        throw new IllegalArgumentException("section " + s + " is given twice");
      }
    }
    Reader reader = new Reader(where, lines, env == null ? Map.of() : env);
    reader.checkTables(root, byTable);
    Map<ConfigSection<?>, Object> bound = new LinkedHashMap<>();
    Map<ConfigSection<?>, SectionValues> values = new LinkedHashMap<>();
    for (ConfigSection<?> section : sections) {
      SectionValues v = reader.read(section, root.get(section.table()));
      values.put(section, v);
      bound.put(section, reader.bind(section, v));
    }
    return new BullpenConfig(file, bound, values);
  }

  /**
   * The file a program reads: {@code given} (a {@code --config} flag), else {@code $BULLPEN_CONFIG}, else
   * {@code ./bullpen.toml} when it exists; null for none (defaults and environment only).
   */
  public static Path locate(Path given, Map<String, String> env) {
    if (given != null) {
      return given;
    }
    String fromEnv = env == null ? null : env.get("BULLPEN_CONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    Path local = Path.of("bullpen.toml");
    return Files.isRegularFile(local) ? local : null;
  }

  /** The file read, empty when none was. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The bound value of {@code section}, which must be one of the sections given to {@link #load}. */
  public <T> T get(ConfigSection<T> section) {
    Object value = bound.get(section);
    if (value == null && !bound.containsKey(section)) {
      throw new IllegalArgumentException(section + " was not loaded; load it with the others");
    }
    @SuppressWarnings("unchecked")
    T typed = (T) value;
    return typed;
  }

  /** The values of {@code section} with their origins. */
  public SectionValues values(ConfigSection<?> section) {
    SectionValues v = values.get(section);
    if (v == null) {
      throw new IllegalArgumentException(section + " was not loaded; load it with the others");
    }
    return v;
  }

  /**
   * The effective configuration as TOML, each value followed by where it came from; secrets show as {@code ***}
   * and passwords in URIs are masked. Unset optional settings appear commented out.
   */
  public String describe() {
    StringBuilder out = new StringBuilder("# effective configuration; file: ")
        .append(file == null ? "none" : file.toString()).append('\n');
    for (Map.Entry<ConfigSection<?>, SectionValues> e : values.entrySet()) {
      ConfigSection<?> section = e.getKey();
      out.append('\n').append('[').append(section.table()).append("]\n");
      for (Setting<?> setting : section.settings()) {
        out.append(line(setting, e.getValue())).append('\n');
      }
    }
    return out.toString();
  }

  private static <T> String line(Setting<T> setting, SectionValues values) {
    T value = values.get(setting);
    String origin = values.origin(setting);
    if (value == null) {
      return "# " + setting.key() + " =   (unset)";
    }
    String text = setting.key() + " = " + tomlValue(value, setting.show(value));
    return String.format(Locale.ROOT, "%-48s # %s", text, origin);
  }

  /** {@code shown} as a TOML value: numbers and booleans bare, lists as arrays, everything else a string. */
  private static String tomlValue(Object value, String shown) {
    if (value instanceof Number || value instanceof Boolean) {
      return shown;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(item -> quoted(String.valueOf(item)))
          .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }
    return quoted(shown);
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public String toString() {
    return "BullpenConfig{" + (file == null ? "no file" : file) + ", " + values.keySet() + "}";
  }

  /** One load: where values come from and how refusals are reported. */
  private record Reader(String file, KeyLines lines, Map<String, String> env) {
    String at(String dottedKey) {
      OptionalInt line = lines.lineOf(dottedKey);
      return line.isPresent() ? file + " line " + line.getAsInt() : file;
    }

    void checkTables(JsonNode root, Map<String, ConfigSection<?>> byTable) {
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String name = field.getKey();
        if (!field.getValue().isObject()) {
          throw new ConfigException(name, at(name), "settings belong in a table such as [redis]; known tables: "
              + known(byTable));
        }
        if (!byTable.containsKey(name) && !SHARED_TABLES.contains(name)) {
          throw new ConfigException(name, at(name), "unknown table [" + name + "]; known tables: " + known(byTable));
        }
      }
    }

    private static String known(Map<String, ConfigSection<?>> byTable) {
      List<String> names = new ArrayList<>(new java.util.TreeSet<>(SHARED_TABLES));
      byTable.keySet().stream().filter(t -> !SHARED_TABLES.contains(t)).forEach(names::add);
      return String.join(", ", names);
    }

    SectionValues read(ConfigSection<?> section, JsonNode table) {
      Map<String, Value> values = new LinkedHashMap<>();
      for (Setting<?> s : section.settings()) {
        s.defaultValue().ifPresent(d -> values.put(s.key(), new Value(d, "default")));
      }
      if (table != null) {
        for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          String key = section.table() + "." + field.getKey();
          Setting<?> setting = section.setting(field.getKey()).orElseThrow(() -> new ConfigException(key, at(key),
              "unknown key; [" + section.table() + "] has " + section.settings().stream().map(Setting::key).toList()));
          String origin = at(key);
          try {
            values.put(setting.key(), new Value(setting.fromToml(field.getValue()), origin));
          } catch (Setting.ValueProblem p) {
            throw new ConfigException(key, origin, p.getMessage());
          }
        }
      }
      for (Setting<?> s : section.settings()) {
        String name = section.envName(s);
        String text = env.get(name);
        if (text != null) {
          String origin = "environment " + name;
          try {
            values.put(s.key(), new Value(s.fromText(text), origin));
          } catch (Setting.ValueProblem p) {
            throw new ConfigException(section.keyOf(s), origin, p.getMessage());
          }
        }
      }
      return new SectionValues(section, values);
    }

    Object bind(ConfigSection<?> section, SectionValues values) {
      try {
        return section.bind(values);
      } catch (InvalidOptionException e) {
        Setting<?> setting = settingFor(section, e.field());
        String key = setting == null ? section.table() : section.keyOf(setting);
        String origin = setting == null ? at(section.table()) : values.origin(setting);
        throw new ConfigException(key, origin, e.getMessage(), e);
      }
    }

    /** The setting an option field names: {@code commandTimeout} → {@code command_timeout}. */
    private static Setting<?> settingFor(ConfigSection<?> section, String field) {
      String snake = field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
      return section.setting(snake).orElse(null);
    }
  }
}
