package io.bullpen.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client for tests: real HTTP to the server on loopback, one keep-alive client. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status, JSON body (null when empty or not JSON) and the raw text. */
  record Response(int status, JsonNode json, String text) {
    String errorCode() {
      return json == null ? null : json.path("error").path("code").asText(null);
    }

    String errorField() {
      return json == null ? null : json.path("error").path("field").asText(null);
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String key;

  Http(String base, String key) {
    this.base = base;
    this.key = key;
  }

  /** The same server with another key (null for none). */
  Http as(String otherKey) {
    return new Http(base, otherKey);
  }

  Response get(String path) {
    return send(builder(path).GET());
  }

  Response delete(String path) {
    return send(builder(path).DELETE());
  }

  Response post(String path, Object body) {
    return send(builder(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text(body))));
  }

  Response put(String path, Object body) {
    return send(builder(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(text(body))));
  }

  /** A request with a raw body and content type, for the error paths. */
  Response raw(String method, String path, String contentType, String body) {
    HttpRequest.Builder b = builder(path).method(method, HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b);
  }

  Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      String text = response.body();
      if (!text.isEmpty() && response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
        json = JSON.readTree(text);
      }
      return new Response(response.statusCode(), json, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder builder(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return b;
  }

  private static String text(Object body) {
    try {
      return body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
