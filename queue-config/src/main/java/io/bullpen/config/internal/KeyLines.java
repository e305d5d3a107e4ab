package io.bullpen.config.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The line on which each key of a TOML text is defined. Jackson's TOML reader yields a tree without positions, so
 * this pass over the lines follows table headers ({@code [a.b]}, {@code [[a]]}) and {@code key = value} lines
 * (bare, quoted and dotted keys), skipping multi-line strings and arrays. A key found nowhere (inside an inline
 * table, say) falls back to its nearest enclosing key or table.
 */
public final class KeyLines {
  private final Map<String, Integer> lines = new HashMap<>();
  private int firstDuplicateLine = -1;

  private KeyLines() {}

  /** Indexes {@code toml}. */
  public static KeyLines of(String toml) {
    KeyLines index = new KeyLines();
    String table = "";
    String closing = null;   // the delimiter that ends the multi-line string or array we are in
    int depth = 0;
    String[] all = toml.split("\r?\n", -1);
    for (int i = 0; i < all.length; i++) {
      String line = all[i].strip();
      int number = i + 1;
      if (closing != null) {
        if (closing.equals("]")) {
          depth += brackets(line);
          if (depth <= 0) {
            closing = null;
          }
        } else if (line.contains(closing)) {
          closing = null;
        }
        continue;
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[")) {
        boolean array = line.startsWith("[[");
        int end = line.indexOf(array ? "]]" : "]");
        if (end > 0) {
          table = normalise(line.substring(array ? 2 : 1, end));
          index.lines.putIfAbsent(table, number);
        }
        continue;
      }
      int eq = keyEnd(line);
      if (eq <= 0) {
        continue;
      }
      String key = normalise(line.substring(0, eq));
      if (index.lines.putIfAbsent(table.isEmpty() ? key : table + "." + key, number) != null
          && index.firstDuplicateLine < 0) {
        index.firstDuplicateLine = number;
      }
      String value = line.substring(eq + 1).strip();
      for (String quotes : new String[] {"\"\"\"", "'''"}) {
        if (value.startsWith(quotes) && value.indexOf(quotes, 3) < 0) {
          closing = quotes;
        }
      }
      if (closing == null && value.startsWith("[")) {
        depth = brackets(value);
        if (depth > 0) {
          closing = "]";
        }
      }
    }
    return index;
  }

  /** The line of {@code dottedKey} (e.g. {@code redis.uri}), or of its nearest enclosing key or table. */
  public OptionalInt lineOf(String dottedKey) {
    String key = dottedKey;
    while (true) {
      Integer line = lines.get(key);
      if (line != null) {
        return OptionalInt.of(line);
      }
      int dot = key.lastIndexOf('.');
      if (dot < 0) {
        return OptionalInt.empty();
      }
      key = key.substring(0, dot);
    }
  }

  /**
   * The first line that defines a key a second time (Jackson reports a duplicate key on the line after the value),
   * if any.
   */
  public OptionalInt firstDuplicateLine() {
    return firstDuplicateLine < 0 ? OptionalInt.empty() : OptionalInt.of(firstDuplicateLine);
  }

  /** Where the {@code =} of a key line is, outside quoted key parts; -1 for none. */
  private static int keyEnd(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '=') {
        return i;
      }
    }
    return -1;
  }

  /** {@code a . "b c"} as {@code a.b c}. */
  private static String normalise(String key) {
    StringBuilder out = new StringBuilder();
    for (String part : key.split("\\.(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)")) {
      String p = part.strip();
      if (p.length() >= 2 && (p.startsWith("\"") && p.endsWith("\"") || p.startsWith("'") && p.endsWith("'"))) {
        p = p.substring(1, p.length() - 1);
      }
      out.append(out.length() == 0 ? "" : ".").append(p);
    }
    return out.toString();
  }

  /** Opening minus closing brackets outside strings and comments. */
  private static int brackets(String text) {
    int n = 0;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        break;
      } else if (c == '[') {
        n++;
      } else if (c == ']') {
        n--;
      }
    }
    return n;
  }
}
