package io.bullpen.examples.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A JSON client for the sample's endpoints, and polling until a condition holds. */
final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  record Reply(int status, JsonNode body) {}

  Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** The body of {@code GET path} as text, e.g. a Prometheus scrape. */
  String text(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  Reply post(String path, Object body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    String text = response.body();
    return new Reply(response.statusCode(), text.isEmpty() ? JSON.nullNode() : JSON.readTree(text));
  }

  /** Polls {@code probe} every 50 ms until {@code done} accepts its value; fails after {@code timeout}. */
  static <T> T until(Duration timeout, String what, Probe<T> probe, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not within " + timeout + ": " + what + " (last: " + last + ")");
  }

  @FunctionalInterface
  interface Probe<T> {
    T get() throws Exception;
  }
}
