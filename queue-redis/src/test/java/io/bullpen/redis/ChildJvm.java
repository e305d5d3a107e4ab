package io.bullpen.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class of the test sources, with this JVM's class path (or, from {@link #node}, a
 * Node script); its stdout read by line, both as a queue for {@link #await} and as a whole {@link #transcript}.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  /** Lines an {@link #await} read past, oldest first; only the test's thread uses it. */
  private final List<String> skipped = new ArrayList<>();
  private final List<String> transcript = Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;

  private ChildJvm(Process process) {
    this.process = process;
    this.reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          transcript.add(line);
          lines.add(line);
        }
      } catch (IOException ignored) {
        // The process died; that is what these tests do to it.
      }
    }, "child-jvm-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  public static ChildJvm start(Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return start(new ProcessBuilder(command));
  }

  /** {@code node <script>} in {@code directory} with {@code env} added, read the same way as a child JVM. */
  public static ChildJvm node(Path directory, String script, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder("node", script).directory(directory.toFile());
    builder.environment().putAll(env);
    return start(builder);
  }

  private static ChildJvm start(ProcessBuilder builder) {
    try {
      File log = File.createTempFile("bullpen-child-", ".err");
      log.deleteOnExit();
      return new ChildJvm(builder.redirectError(log).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the next line starting with {@code prefix}; fails after {@code seconds}. */
  public String await(String prefix, int seconds) throws InterruptedException {
    // Lines another await read past are kept: a worker may print "started" before main prints "ready".
    for (Iterator<String> it = skipped.iterator(); it.hasNext(); ) {
      String line = it.next();
      if (line.startsWith(prefix)) {
        it.remove();
        return line.substring(prefix.length()).trim();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("child JVM printed no line starting with '" + prefix + "' within " + seconds
            + " s (alive: " + process.isAlive() + ")");
      }
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
      skipped.add(line);
    }
  }

  /** Waits up to {@code seconds} for the process to end by itself; returns whether it did. */
  public boolean awaitExit(int seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  /** Every line printed so far, in order; complete once {@link #kill} returned. */
  public List<String> transcript() {
    synchronized (transcript) {
      return List.copyOf(transcript);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGKILL: no shutdown hook, no finally block, no lock released. Returns once the process is gone and what it
   * printed before is read.
   */
  public void kill() throws InterruptedException {
    // Through the handle: Process.destroyForcibly() also closes our end of its stdout, and lines still in the pipe
    // (a "started" printed just before the kill) were lost with it.
    process.toHandle().destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    reader.join(TimeUnit.SECONDS.toMillis(10));
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
