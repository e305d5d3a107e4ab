package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.testkit.RedisTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/bullpen-server.jar}, as a person runs it: no Redis configured, so it starts an embedded
 * one, prints a new admin key once, and serves the API on the port it picked; SIGTERM stops it and its Redis.
 * Tagged like the Redis tests so that it runs in {@code verify}, after {@code package} has built the jar.
 */
@Tag(RedisTest.TAG)
class ServerJarTest {
  private static final Pattern LISTENING = Pattern.compile("Bullpen server on (http://\\S+)");
  private static final Pattern KEY = Pattern.compile("^\\s+(bp_\\S+)\\s*$");

  @TempDir
  Path dir;

  @Test
  void theJarStartsWithAnEmbeddedRedisPrintsAKeyOnceAndServesTheApi() throws Exception {
    Path jar = Path.of("target", "bullpen-server.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), jar + " is built by the package phase (./mvnw -pl server -am verify)");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString(), "serve", "--port", "0")
        .directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.equals("REDIS_URL") || name.startsWith("BULLPEN_"));
    Process child = builder.start();
    List<String> output = new ArrayList<>();
    try {
      CompletableFuture<String[]> started = CompletableFuture.supplyAsync(() -> readUntilListening(child, output));
      String[] uriAndKey = started.get(90, TimeUnit.SECONDS);
      List<ProcessHandle> redis = child.descendants().toList();
      assertTrue(output.stream().anyMatch(l -> l.contains("started an embedded Redis")), String.join("\n", output));
      assertTrue(Files.isRegularFile(dir.resolve("bullpen-keys.json")), "the key file is made in the working dir");

      Http http = new Http(uriAndKey[0], uriAndKey[1]);
      Http.Response queues = http.get("/api/v1/queues");
      assertEquals(200, queues.status(), queues.toString());
      assertTrue(queues.json().isArray() || queues.json().has("queues"), queues.toString());
      assertEquals(401, new Http(uriAndKey[0], "bp_0000000000000000_wrong").get("/api/v1/queues").status());
      assertEquals(200, http.get("/api/v1/openapi.json").status());

      child.destroy(); // SIGTERM: the shutdown hook closes the server, then the embedded Redis
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the server stops on SIGTERM");
      for (ProcessHandle p : redis) {
        p.onExit().get(30, TimeUnit.SECONDS);
      }
    } finally {
      child.destroyForcibly();
    }
  }

  /** Reads the child's output until it listens; returns its URI and the key it printed. */
  private static String[] readUntilListening(Process child, List<String> output) {
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8));
      String key = null;
      for (String line; (line = lines.readLine()) != null; ) {
        synchronized (output) {
          output.add(line);
        }
        Matcher k = KEY.matcher(line);
        if (k.matches()) {
          key = k.group(1);
        }
        Matcher l = LISTENING.matcher(line);
        if (l.find()) {
          if (key == null) {
            throw new AssertionError("no key printed before listening: " + output);
          }
          // Keep draining, so the child never blocks on a full pipe.
          Thread drain = new Thread(() -> lines.lines().forEach(x -> { }), "server-jar-output");
          drain.setDaemon(true);
          drain.start();
          return new String[] {l.group(1), key};
        }
      }
      throw new AssertionError("the server exited before listening: " + output);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
