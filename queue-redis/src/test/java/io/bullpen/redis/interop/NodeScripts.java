package io.bullpen.redis.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.testkit.NodeBullmq;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Node scripts the scheduler interop tests use (interop/node/scheduler.mjs, worker.mjs, hang-worker.mjs,
 * cron-runs.mjs): run to completion, run in the background, or started and later killed.
 */
final class NodeScripts {
  private static final NodeBullmq NODE = new NodeBullmq();
  private static final Duration SAFETY_NET = Duration.ofSeconds(45);

  private final String redisUri;
  private final String queue;
  private final String prefix;

  NodeScripts(String redisUri, String queue, String prefix) {
    this.redisUri = redisUri;
    this.queue = queue;
    this.prefix = prefix;
  }

  /** Runs {@code script} to its end with {@code env} (REDIS_URL, QUEUE and PREFIX added). */
  NodeFacts run(String script, Map<String, String> env) {
    return NodeFacts.parse(script, NODE.run(script, environment(env), SAFETY_NET));
  }

  /** Runs {@code script} on another thread; the future completes with its facts. */
  CompletableFuture<NodeFacts> runInBackground(String script, Map<String, String> env) {
    CompletableFuture<NodeFacts> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(run(script, env));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, "node-" + script);
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  /** Starts {@code script} as a process the test kills; its facts can be awaited line by line. */
  Started start(String script, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder("node", script)
        .directory(NODE.directory().orElseThrow().toFile());
    builder.environment().putAll(environment(env));
    try {
      File log = File.createTempFile("bullpen-node-", ".err");
      log.deleteOnExit();
      return new Started(builder.redirectError(log).start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, String> environment(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("REDIS_URL", redisUri);
    all.put("QUEUE", queue);
    all.put("PREFIX", prefix);
    return all;
  }

  /** A Node process started in the background. */
  static final class Started implements AutoCloseable {
    private final Process process;
    private final File stderr;
    private final LinkedBlockingQueue<JsonNode> facts = new LinkedBlockingQueue<>();
    /** Facts read by an {@link #await} for another type, oldest first; only the test's thread uses it. */
    private final List<JsonNode> skipped = new ArrayList<>();

    Started(Process process, File stderr) {
      this.process = process;
      this.stderr = stderr;
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.isBlank()) {
              facts.add(Json.tree(line, "node output"));
            }
          }
        } catch (IOException ignored) {
          // Killed.
        }
      }, "node-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    private String stderrTail() {
      try {
        String text = java.nio.file.Files.readString(stderr.toPath());
        return text.isBlank() ? "(empty)" : text.substring(Math.max(0, text.length() - 2000));
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }

    /**
     * Waits for the next fact of {@code type}. Facts of other types read meanwhile are kept for later calls: a
     * worker may print "started" before "ready" (it runs as soon as it is built), and a later
     * {@code await("started")} must still see it.
     */
    JsonNode await(String type, int seconds) throws InterruptedException {
      for (Iterator<JsonNode> it = skipped.iterator(); it.hasNext(); ) {
        JsonNode fact = it.next();
        if (type.equals(fact.path("type").asText())) {
          it.remove();
          return fact;
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (true) {
        long left = deadline - System.nanoTime();
        JsonNode fact = left > 0 ? facts.poll(left, TimeUnit.NANOSECONDS) : null;
        if (fact == null) {
          throw new AssertionError("node printed no '" + type + "' within " + seconds + " s (alive: "
              + process.isAlive() + "; its stderr: " + stderrTail() + ")");
        }
        if (type.equals(fact.path("type").asText())) {
          return fact;
        }
        skipped.add(fact);
      }
    }

    /** SIGKILL, through the handle so that what it printed before stays readable (see ChildJvm#kill). */
    void kill() throws InterruptedException {
      process.toHandle().destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      kill();
    }
  }

  static List<String> ids(List<JsonNode> facts) {
    return facts.stream().map(f -> f.path("id").asText()).toList();
  }
}
