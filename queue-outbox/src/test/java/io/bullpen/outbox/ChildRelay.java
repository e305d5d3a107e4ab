package io.bullpen.outbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link RelayMain} process; its stdout read line by line. */
final class ChildRelay implements AutoCloseable {
  private final Process process;
  private final Path stderr;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  final List<Long> added = Collections.synchronizedList(new ArrayList<>());

  ChildRelay(OutboxFixture f, String mode, String... more) {
    try {
      stderr = Files.createTempFile("relay-child-", ".err");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
          "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), RelayMain.class.getName(),
          f.postgres.jdbcUrl("postgres"), f.redisUri, f.options.qualifiedTable(), mode));
      command.addAll(Arrays.asList(more));
      process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith("added ")) {
            Arrays.stream(line.substring(6).split(",")).map(Long::parseLong).forEach(added::add);
          }
          lines.add(line);
        }
      } catch (IOException ignored) {
        // killed
      }
    }, "relay-child-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next line starting with {@code prefix} (others skipped); fails after {@code seconds}. */
  String await(String prefix, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("the relay process printed no '" + prefix + "' within " + seconds + " s (alive: "
            + process.isAlive() + "); stderr:\n" + stderrText());
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Lets a paused child go on. */
  void proceed() throws IOException {
    process.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /** SIGKILL: no shutdown hook, no finally block; returns once the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Sends {@code signal} (STOP, CONT) to the process. */
  void signal(String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
  }

  private String stderrText() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws Exception {
    signal("CONT");
    kill();
    Files.deleteIfExists(stderr);
  }
}
