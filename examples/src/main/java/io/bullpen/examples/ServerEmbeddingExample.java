package io.bullpen.examples;

import io.bullpen.redis.RedisConfig;
import io.bullpen.server.ApiKeys;
import io.bullpen.server.BullpenServer;
import io.bullpen.server.CreatedApiKey;
import io.bullpen.server.Scope;
import io.bullpen.server.ServerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;

/**
 * The server guide: a {@link BullpenServer} started inside an application, with a key of its own, then called over
 * HTTP as a remote producer would. Prints:
 *
 * <pre>
 * server on http://127.0.0.1:PORT
 * POST /api/v1/queues/mail/jobs: 201
 * GET /api/v1/queues/mail: 200, 1 waiting
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.ServerEmbeddingExample}.
 */
public final class ServerEmbeddingExample {
  private ServerEmbeddingExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "bull", System.out);
    }
  }

  /** Starts a server over {@code redisUri} with key prefix {@code prefix}, adds a job through it, and stops it. */
  public static void run(String redisUri, String prefix, PrintStream out) throws Exception {
    // region embed
    ApiKeys keys = ApiKeys.inMemory();                 // or ApiKeys.file(Path.of("keys.json")), shared with the CLI
    CreatedApiKey producer = keys.create("billing", Set.of(Scope.PRODUCE, Scope.READ), List.of("mail"));

    ServerOptions options = ServerOptions.builder()
        .redis(RedisConfig.of(redisUri))
        .apiKeys(keys)
        .prefix(prefix)                                // "bull" by default
        .port(0)                                       // any free port; 8080 by default
        .queues("mail")                                // served before its first job
        .dashboard(false)                              // the API only
        .build();

    try (BullpenServer server = BullpenServer.start(options)) {
      out.println("server on " + server.uri().replaceFirst(":\\d+$", ":PORT"));
      HttpClient http = HttpClient.newHttpClient();
      URI jobs = URI.create(server.uri() + "/api/v1/queues/mail/jobs");
      HttpResponse<String> added = http.send(HttpRequest.newBuilder(jobs)
          .header("X-API-Key", producer.secret())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"welcome\",\"data\":{\"to\":\"ann@example.com\"}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      out.println("POST /api/v1/queues/mail/jobs: " + added.statusCode());
      printWaiting(http, server.uri(), producer.secret(), out);
    }
    // endregion
  }

  private static void printWaiting(HttpClient http, String base, String key, PrintStream out) throws Exception {
    HttpResponse<String> queue = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/queues/mail"))
        .header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
    String waiting = queue.body().replaceAll("(?s).*\"waiting\"\\s*:\\s*(\\d+).*", "$1");
    out.println("GET /api/v1/queues/mail: " + queue.statusCode() + ", " + waiting + " waiting");
  }
}
