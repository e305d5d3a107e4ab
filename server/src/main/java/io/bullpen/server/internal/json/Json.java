package io.bullpen.server.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.http.Context;

/** The server's one ObjectMapper (plain: no default typing, nothing polymorphic is ever read). */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Stored JSON text as a tree; text that is not JSON (a Node writer may store anything) as a string. */
  public static JsonNode parseStored(String text) {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(text);
    }
  }

  public static void write(Context ctx, Object body) {
    try {
      ctx.contentType("application/json");
      ctx.result(MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a response", e);
    }
  }
}
