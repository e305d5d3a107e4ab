package io.bullpen.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.server.internal.json.Json;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Set;

/** Reading a request: its JSON body and its query parameters, each refusal naming the field. */
public final class Requests {
  private Requests() {}

  /** The body as a JSON object ({@code {}} when empty). */
  public static ObjectNode body(Context ctx) {
    String type = ctx.contentType();
    if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(415, "unsupported_media_type", null,
          "request bodies are JSON: send Content-Type application/json, not " + type);
    }
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      return Json.MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "invalid_json", null, "the body is not valid JSON: " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    } catch (java.io.IOException e) {
      throw new ApiException(400, "invalid_json", null, "the body could not be read: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(400, "invalid_json", null, "the body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** Refuses fields of {@code object} outside {@code allowed}, naming the first one. */
  public static void onlyFields(JsonNode object, String where, Set<String> allowed) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw ApiException.invalid(path(where, name), "unknown field " + path(where, name) + "; known fields: "
            + new java.util.TreeSet<>(allowed));
      }
    }
  }

  public static String path(String where, String name) {
    return where == null || where.isEmpty() ? name : where + "." + name;
  }

  /** A required string field. */
  public static String text(JsonNode object, String where, String name) {
    JsonNode value = object.get(name);
    if (value == null || value.isNull()) {
      throw ApiException.missing(path(where, name));
    }
    return textValue(value, path(where, name));
  }

  /** An optional string field, or {@code fallback}. */
  public static String text(JsonNode object, String where, String name, String fallback) {
    JsonNode value = object.get(name);
    return value == null || value.isNull() ? fallback : textValue(value, path(where, name));
  }

  public static String textValue(JsonNode value, String field) {
    if (!value.isTextual()) {
      throw ApiException.invalid(field, field + " must be a string, not " + value);
    }
    return value.asText();
  }

  /** An optional integer field within [min, max], or {@code fallback}. */
  public static long integer(JsonNode object, String where, String name, long fallback, long min, long max) {
    JsonNode value = object.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    return integerValue(value, path(where, name), min, max);
  }

  /** A required integer field within [min, max]. */
  public static long integer(JsonNode object, String where, String name, long min, long max) {
    JsonNode value = object.get(name);
    if (value == null || value.isNull()) {
      throw ApiException.missing(path(where, name));
    }
    return integerValue(value, path(where, name), min, max);
  }

  public static long integerValue(JsonNode value, String field, long min, long max) {
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw ApiException.invalid(field, field + " must be an integer, not " + value);
    }
    long n = value.asLong();
    if (n < min || n > max) {
      throw ApiException.invalid(field, field + " = " + n + " must be between " + min + " and " + max);
    }
    return n;
  }

  /** An optional boolean field, or {@code fallback}. */
  public static boolean bool(JsonNode object, String where, String name, boolean fallback) {
    JsonNode value = object.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw ApiException.invalid(path(where, name), path(where, name) + " must be true or false, not " + value);
    }
    return value.asBoolean();
  }

  /** A query parameter as an integer within [min, max], or {@code fallback} when absent. */
  public static long queryInt(Context ctx, String name, long fallback, long min, long max) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.invalid(name, "query parameter " + name + " must be an integer, not \"" + text + "\"");
    }
    if (n < min || n > max) {
      throw ApiException.invalid(name, "query parameter " + name + " = " + n + " must be between " + min + " and "
          + max);
    }
    return n;
  }
}
