package io.bullpen.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.server.internal.json.Json;
import io.javalin.http.Context;

/** Writes the one error shape every failure has: {@code {"error":{"code","message","field"}}}. */
public final class ErrorBodies {
  private ErrorBodies() {}

  public static void write(Context ctx, int status, String code, String field, String message) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", code);
    error.put("message", message);
    if (field != null) {
      error.put("field", field);
    }
    ctx.status(status);
    Json.write(ctx, root);
  }

  public static void write(Context ctx, ApiException e) {
    write(ctx, e.status(), e.code(), e.field(), e.getMessage());
  }
}
