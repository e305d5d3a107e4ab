package io.bullpen.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What an example printed: hand {@link #stream()} to it, then read {@link #lines()}. */
final class Printed {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  PrintStream stream() {
    return stream;
  }

  /** The lines printed so far, in order. */
  List<String> lines() {
    stream.flush();
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** A queue name no other test (or run) uses, so tests can share a Redis. */
  static String uniqueQueueName(String example) {
    return "example-" + example + "-" + java.util.UUID.randomUUID();
  }
}
