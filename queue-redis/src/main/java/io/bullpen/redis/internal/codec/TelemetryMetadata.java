package io.bullpen.redis.internal.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BullMQ's telemetry metadata ({@code opts.tm}): the JSON object text of the producer's propagation headers, e.g.
 * {@code {"traceparent":"00-…-01"}}, as BullMQ's OpenTelemetry context manager writes it.
 */
public final class TelemetryMetadata {
  private TelemetryMetadata() {}

  /** The {@code tm} text of {@code headers}. */
  public static String toJson(Map<String, String> headers) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    headers.forEach(node::put);
    return node.toString();
  }

  /** The headers in {@code tm} text; empty when it is absent or not a JSON object (non-text values are skipped). */
  public static Map<String, String> fromJson(String metadata) {
    if (metadata == null || metadata.isEmpty()) {
      return Map.of();
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(metadata);
    } catch (Exception e) {
      return Map.of();
    }
    if (node == null || !node.isObject()) {
      return Map.of();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isTextual()) {
        headers.put(e.getKey(), e.getValue().asText());
      }
    }
    return headers;
  }
}
