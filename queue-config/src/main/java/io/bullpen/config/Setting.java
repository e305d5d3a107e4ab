package io.bullpen.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One key of a {@link ConfigSection}: its name in the file ({@code snake_case}), its type, its default, how a value
 * is checked, and how it is shown in the effective configuration (secrets masked). Immutable; the
 * {@code check}/{@code doc}/{@code shownAs} methods return a new setting.
 *
 * <p>Values come from TOML values of the setting's type or, for environment overrides, from text: integers and
 * booleans as written in TOML, durations as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or
 * ISO-8601 ({@code PT5S}).
 *
 * @param <T> the value's Java type
 */
public final class Setting<T> {
  private final String key;
  private final String type;
  private final T defaultValue;
  private final Function<JsonNode, T> fromToml;
  private final Function<String, T> fromText;
  private final List<Check<T>> checks;
  private final Function<T, String> shown;
  private final boolean secret;
  private final String doc;

  private record Check<T>(Predicate<T> test, String problem) {}

  private Setting(String key, String type, T defaultValue, Function<JsonNode, T> fromToml, Function<String, T> fromText,
      List<Check<T>> checks, Function<T, String> shown, boolean secret, String doc) {
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.fromToml = fromToml;
    this.fromText = fromText;
    this.checks = checks;
    this.shown = shown;
    this.secret = secret;
    this.doc = doc;
  }

  private static String requireKey(String key) {
    if (key == null || !key.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("a setting key is snake_case, was " + key);
    }
    return key;
  }

  private static <T> Setting<T> create(String key, String type, T defaultValue, Function<JsonNode, T> fromToml,
      Function<String, T> fromText) {
    return new Setting<>(requireKey(key), type, defaultValue, fromToml, fromText, List.of(), String::valueOf, false,
        "");
  }

  /** A text value; {@code defaultValue} null means none (the setting is then optional). */
  public static Setting<String> string(String key, String defaultValue) {
    return create(key, "string", defaultValue, node -> {
      if (!node.isTextual()) {
        throw new ValueProblem("must be a string, was " + describe(node));
      }
      return node.textValue();
    }, text -> text);
  }

  /** A text value that is never shown: the effective configuration prints {@code ***}. No default. */
  public static Setting<String> secret(String key) {
    return string(key, null).secretValue();
  }

  /** A whole number from {@code min} to {@code max}. */
  public static Setting<Integer> integer(String key, Integer defaultValue, int min, int max) {
    Setting<Integer> s = create(key, "integer", defaultValue, node -> {
      if (!node.isIntegralNumber()) {
        throw new ValueProblem("must be an integer, was " + describe(node));
      }
      if (!node.canConvertToInt()) {
        throw new ValueProblem("must be from " + min + " to " + max + ", was " + node.asText());
      }
      return node.intValue();
    }, text -> {
      try {
        return Integer.parseInt(text.trim().replace("_", ""));
      } catch (NumberFormatException e) {
        throw new ValueProblem("must be an integer, was \"" + text + "\"");
      }
    });
    return s.check(v -> v >= min && v <= max, "must be from " + min + " to " + max);
  }

  /** {@code true} or {@code false}. */
  public static Setting<Boolean> bool(String key, Boolean defaultValue) {
    return create(key, "boolean", defaultValue, node -> {
      if (!node.isBoolean()) {
        throw new ValueProblem("must be true or false, was " + describe(node));
      }
      return node.booleanValue();
    }, text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new ValueProblem("must be true or false, was \"" + text + "\"");
    });
  }

  /**
   * A duration written as a string: {@code "250ms"}, {@code "5s"}, {@code "2m"}, {@code "1h"}, {@code "1d"} or ISO-8601
   * {@code "PT5S"}. Zero or more unless {@link #check} says otherwise.
   */
  public static Setting<Duration> duration(String key, Duration defaultValue) {
    Function<String, Duration> parse = Setting::parseDuration;
    Setting<Duration> s = create(key, "duration", defaultValue, node -> {
      if (!node.isTextual()) {
        throw new ValueProblem("must be a duration string such as \"5s\" or \"250ms\", was " + describe(node));
      }
      return parse.apply(node.textValue());
    }, parse);
    return s.check(d -> !d.isNegative(), "must not be negative").shownAs(Durations::format);
  }

  /** One of {@code allowed}. */
  public static Setting<String> choice(String key, String defaultValue, String... allowed) {
    List<String> values = List.of(allowed);
    Setting<String> base = string(key, defaultValue);
    return new Setting<>(base.key, "one of " + String.join(", ", values), defaultValue, base.fromToml, base.fromText,
        List.of(new Check<>(values::contains, "must be one of " + String.join(", ", values))), base.shown, false, "");
  }

  /**
   * A list of strings: a TOML array ({@code ["a", "b"]}) in the file, comma-separated text ({@code a,b}) in the
   * environment, blanks dropped. {@code defaultValue} null means none.
   */
  public static Setting<List<String>> strings(String key, List<String> defaultValue) {
    Setting<List<String>> s = create(key, "list of strings", defaultValue == null ? null : List.copyOf(defaultValue),
        node -> {
          if (!node.isArray()) {
            throw new ValueProblem("must be an array of strings such as [\"a\", \"b\"], was " + describe(node));
          }
          List<String> items = new java.util.ArrayList<>();
          for (JsonNode item : node) {
            if (!item.isTextual()) {
              throw new ValueProblem("every item must be a string, was " + describe(item));
            }
            items.add(item.textValue());
          }
          return List.copyOf(items);
        },
        text -> java.util.Arrays.stream(text.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList());
    return s.shownAs(items -> String.join(",", items));
  }

  /** A file system path (a string in the file). No default. */
  public static Setting<Path> path(String key) {
    Setting<String> base = string(key, null);
    return create(key, "path", null, node -> Path.of(base.fromToml.apply(node)), Path::of);
  }

  /** This setting, also refusing values for which {@code test} is false, with {@code problem} as the reason. */
  public Setting<T> check(Predicate<T> test, String problem) {
    List<Check<T>> more = new java.util.ArrayList<>(checks);
    more.add(new Check<>(Objects.requireNonNull(test, "test"), Objects.requireNonNull(problem, "problem")));
    return new Setting<>(key, type, defaultValue, fromToml, fromText, List.copyOf(more), shown, secret, doc);
  }

  /** This setting with a one-line description (printed by {@code bullpen config show --describe}). */
  public Setting<T> doc(String text) {
    return new Setting<>(key, type, defaultValue, fromToml, fromText, checks, shown, secret, text);
  }

  /** This setting, shown in the effective configuration through {@code show} (e.g. a URI with its password masked). */
  public Setting<T> shownAs(Function<T, String> show) {
    return new Setting<>(key, type, defaultValue, fromToml, fromText, checks, Objects.requireNonNull(show), secret, doc);
  }

  private Setting<T> secretValue() {
    return new Setting<>(key, type, defaultValue, fromToml, fromText, checks, value -> "***", true, doc);
  }

  public String key() {
    return key;
  }

  /** The type as the documentation names it: {@code string}, {@code integer}, {@code duration}, ... */
  public String type() {
    return type;
  }

  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public boolean isSecret() {
    return secret;
  }

  public String doc() {
    return doc;
  }

  /** The value as the effective configuration prints it (masked for secrets). */
  public String show(T value) {
    return value == null ? "(unset)" : shown.apply(value);
  }

  T fromToml(JsonNode node) {
    return checked(fromToml.apply(node));
  }

  T fromText(String text) {
    return checked(fromText.apply(text));
  }

  private T checked(T value) {
    for (Check<T> c : checks) {
      if (!c.test().test(value)) {
        throw new ValueProblem(c.problem() + ", was " + (secret ? "***" : show(value)));
      }
    }
    return value;
  }

  private static Duration parseDuration(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ValueProblem(e.getMessage());
    }
  }

  private static String describe(JsonNode node) {
    String kind = node.isTextual() ? "a string" : node.isIntegralNumber() ? "an integer" : node.isNumber() ? "a number"
        : node.isBoolean() ? "a boolean" : node.isArray() ? "an array" : node.isObject() ? "a table" : node.getNodeType()
        .toString().toLowerCase(Locale.ROOT);
    return kind + " (" + (node.isValueNode() ? node.toString() : node.isArray() ? "[...]" : "{...}") + ")";
  }

  @Override
  public String toString() {
    return key + " (" + type + ")";
  }

  /** A refused value; the loader adds the key and where the value came from. */
  static final class ValueProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ValueProblem(String message) {
      super(message, null, false, false);
    }
  }
}
