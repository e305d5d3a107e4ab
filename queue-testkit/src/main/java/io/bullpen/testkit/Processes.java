package io.bullpen.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping child processes politely first, then by force. */
final class Processes {
  private Processes() {}

  /**
   * Sends the process (and anything it spawned) a polite termination request, waits up to {@code grace}, then
   * kills whatever is left and waits for it to be reaped. Returns once the process is gone or after a last
   * bounded wait.
   */
  static void stop(Process process, Duration grace) {
    if (process == null) {
      return;
    }
    // Collect descendants first: once the parent is dead they are re-parented and harder to find.
    var descendants = process.descendants().toList();
    process.destroy();
    descendants.forEach(ProcessHandle::destroy);
    if (!waitFor(process, grace)) {
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      waitFor(process, Duration.ofSeconds(5));
    } else {
      descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** Sends {@code signal} (a name such as STOP or CONT) to process {@code pid} and waits for {@code kill}. */
  static void signal(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
      String output = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + output.strip());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot run kill -" + signal + " " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending " + signal + " to " + pid, e);
    }
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
