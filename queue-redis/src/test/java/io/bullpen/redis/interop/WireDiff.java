package io.bullpen.redis.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.redis.internal.codec.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Field-by-field comparison of what BullMQ and Bullpen wrote to Redis for the same job, producing readable
 * difference lines (empty when they agree).
 */
final class WireDiff {
  /** Hash fields and event fields holding JSON, compared as JSON trees (key order and spacing are free). */
  private static final Set<String> JSON_FIELDS = Set.of("opts", "data", "returnvalue", "progress", "parent");

  /**
   * Bullpen's extension field on a job a Bullpen worker moved out of active: the lock token and attempt of that
   * move (the repeat check of a move whose reply was lost). BullMQ readers ignore it.
   */
  private static final String SETTLED_BY = "bpsettled";

  private WireDiff() {}

  private static boolean isSettledBy(String value, String attemptsStarted) {
    int colon = value.lastIndexOf(':');
    return colon > 0 && value.substring(colon + 1).equals(attemptsStarted == null ? "0" : attemptsStarted);
  }

  /**
   * Differences between two job hashes. Fields in {@code clockFields} only have to be present on both sides
   * (their values are the two clients' clocks); {@code stacktrace} only has to hold as many entries (the traces
   * are language-specific).
   */
  static List<String> hashes(String what, Map<String, String> node, Map<String, String> java, Set<String> clockFields) {
    List<String> diffs = new ArrayList<>();
    Set<String> fields = new TreeSet<>(node.keySet());
    fields.addAll(java.keySet());
    for (String field : fields) {
      String n = node.get(field);
      String j = java.get(field);
      if (n == null && field.equals(SETTLED_BY) && isSettledBy(j, java.get("ats"))) {
        continue;
      }
      if (n == null || j == null) {
        diffs.add(what + " field " + field + ": BullMQ " + quote(n) + " vs Bullpen " + quote(j));
      } else if (clockFields.contains(field)) {
        if (!isInteger(n) || !isInteger(j)) {
          diffs.add(what + " field " + field + " is not an integer: BullMQ " + n + " vs Bullpen " + j);
        }
      } else if (field.equals("stacktrace")) {
        int nodeSize = Json.tree(n, "stacktrace").size();
        int javaSize = Json.tree(j, "stacktrace").size();
        if (nodeSize != javaSize) {
          diffs.add(what + " stacktrace entries: BullMQ " + nodeSize + " vs Bullpen " + javaSize);
        }
      } else if (!sameValue(field, n, j)) {
        diffs.add(what + " field " + field + ": BullMQ " + n + " vs Bullpen " + j);
      }
    }
    return diffs;
  }

  /**
   * Differences between two event stream entries of the same position. The {@code delay} of a {@code delayed}
   * event (an absolute due time) is only checked for being an integer.
   */
  static List<String> events(String what, Map<String, String> node, Map<String, String> java) {
    List<String> diffs = new ArrayList<>();
    if (!Objects.equals(first(node), "event") || !Objects.equals(first(java), "event")) {
      diffs.add(what + ": the first field must be 'event': BullMQ " + node + " vs Bullpen " + java);
    }
    if (!node.keySet().equals(java.keySet())) {
      diffs.add(what + " fields: BullMQ " + node + " vs Bullpen " + java);
      return diffs;
    }
    for (String field : node.keySet()) {
      String n = node.get(field);
      String j = java.get(field);
      boolean clock = field.equals("delay") && "delayed".equals(node.get("event"));
      if (clock ? !(isInteger(n) && isInteger(j)) : !sameValue(field, n, j)) {
        diffs.add(what + " field " + field + ": BullMQ " + n + " vs Bullpen " + j);
      }
    }
    return diffs;
  }

  private static boolean sameValue(String field, String node, String java) {
    if (node.equals(java)) {
      return true;
    }
    if (JSON_FIELDS.contains(field)) {
      JsonNode n = tryTree(node);
      return n != null && n.equals(tryTree(java));
    }
    return false;
  }

  private static JsonNode tryTree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      return null;
    }
  }

  private static boolean isInteger(String value) {
    return value != null && value.matches("-?\\d+");
  }

  private static String first(Map<String, String> entry) {
    return entry.isEmpty() ? null : entry.keySet().iterator().next();
  }

  private static String quote(String value) {
    return value == null ? "(absent)" : "'" + value + "'";
  }
}
