package io.bullpen.benchmarks.sidebyside;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The BullMQ side: one {@code node bullmq-side.mjs} process, warmed up once, that runs a scenario per JSON
 * request line and answers with one JSON line.
 */
final class NodeSide implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;
  private final Map<String, Object> hello;

  @SuppressWarnings("unchecked")
  NodeSide(Path directory, String redisUri) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("node", "bullmq-side.mjs")
        .directory(directory.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("REDIS_URL", redisUri);
    this.process = builder.start();
    this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.hello = JSON.readValue(readLine(), LinkedHashMap.class);
  }

  Map<String, Object> hello() {
    return hello;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> run(String bench, String variant, int n) throws IOException {
    in.write(JSON.writeValueAsString(Map.of("bench", bench, "variant", variant, "n", n)));
    in.newLine();
    in.flush();
    Map<String, Object> reply = JSON.readValue(readLine(), LinkedHashMap.class);
    if (reply.containsKey("error")) {
      throw new IllegalStateException("BullMQ side failed on " + bench + "/" + variant + ": " + reply.get("error"));
    }
    return reply;
  }

  private String readLine() throws IOException {
    String line = out.readLine();
    if (line == null) {
      throw new IllegalStateException("node bullmq-side.mjs exited (code "
          + (process.isAlive() ? "still running" : process.exitValue()) + ")");
    }
    return line;
  }

  @Override
  public void close() throws IOException {
    in.close();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
