package io.bullpen.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command prints: rows (a list of ordered maps) rendered as an aligned table for people or as JSON for
 * scripts ({@code --json}). One place decides the format, so every command offers both.
 */
public final class Output {
  public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;

  public Output(PrintWriter out, PrintWriter err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  public boolean json() {
    return json;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  /** An ordered row: {@code row("id", "1", "name", "x")}. */
  public static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      row.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return row;
  }

  /** Rows as a table with the keys as upper-case headers, or a JSON array. */
  public void table(List<Map<String, Object>> rows) {
    if (json) {
      value(rows);
      return;
    }
    if (rows.isEmpty()) {
      out.println("(none)");
      out.flush();
      return;
    }
    tableLines(rows).forEach(out::println);
    out.flush();
  }

  /** Rows as the lines of an aligned table, headers first (the text {@link #table} prints). */
  public static List<String> tableLines(List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return List.of("(none)");
    }
    List<String> columns = new ArrayList<>(rows.get(0).keySet());
    int[] widths = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      widths[c] = columns.get(c).length();
      for (Map<String, Object> row : rows) {
        widths[c] = Math.max(widths[c], cell(row.get(columns.get(c))).length());
      }
    }
    List<String> lines = new ArrayList<>();
    StringBuilder header = new StringBuilder();
    for (int c = 0; c < columns.size(); c++) {
      header.append(pad(columns.get(c).toUpperCase(java.util.Locale.ROOT), widths[c], c == columns.size() - 1));
    }
    lines.add(header.toString().stripTrailing());
    for (Map<String, Object> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns.size(); c++) {
        line.append(pad(cell(row.get(columns.get(c))), widths[c], c == columns.size() - 1));
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  /** One record as {@code key: value} lines, or a JSON object. */
  public void record(Map<String, Object> fields) {
    if (json) {
      value(fields);
      return;
    }
    int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
    fields.forEach((k, v) -> out.println(pad(k + ":", width + 1, false) + cell(v)));
    out.flush();
  }

  /** A line for people; in JSON mode the given object instead. */
  public void message(String text, Map<String, Object> asJson) {
    if (json) {
      value(asJson);
    } else {
      out.println(text);
      out.flush();
    }
  }

  public void value(Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  /** JSON text as a tree, for embedding in JSON output; the text itself when it is not JSON. */
  public static Object parsed(String jsonText) {
    if (jsonText == null) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(jsonText);
      return node == null ? jsonText : node;
    } catch (JsonProcessingException e) {
      return jsonText;
    }
  }

  private static String cell(Object value) {
    if (value == null) {
      return "-";
    }
    String text = value instanceof JsonNode node ? node.toString() : String.valueOf(value);
    text = text.replace('\n', ' ');
    return text.length() > 80 ? text.substring(0, 79) + "…" : text;
  }

  private static String pad(String text, int width, boolean last) {
    return last ? text : text + " ".repeat(Math.max(0, width - text.length())) + "  ";
  }
}
