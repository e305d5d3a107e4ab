package io.bullpen.testkit;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds a {@code redis-server} built with TLS: {@code /usr/bin/redis-server} (Debian's package has TLS) first,
 * then others on the {@code PATH}, then the embedded one. Asked once per JVM.
 */
final class TlsBinary {
  private static final Path SYSTEM_REDIS = Path.of("/usr/bin/redis-server");
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  private static Optional<Path> found; // guarded by TlsBinary.class
  private static String whyNot = "";   // guarded by TlsBinary.class

  private TlsBinary() {}

  /** A TLS-capable {@code redis-server}, if this machine has one. */
  static synchronized Optional<Path> find() {
    if (found == null) {
      found = search();
    }
    return found;
  }

  /** Why {@link #find()} is empty, naming every candidate tried. */
  static synchronized String whyNotFound() {
    find();
    return whyNot;
  }

  private static Optional<Path> search() {
    List<Path> candidates = new ArrayList<>(Executables.find("redis-server", SYSTEM_REDIS));
    try {
      candidates.add(RedisBinary.executable());
    } catch (RuntimeException noEmbeddedBinary) {
      // Not for this OS or CPU: the system ones are all there is.
    }
    List<String> rejected = new ArrayList<>();
    for (Path candidate : candidates) {
      String output = probe(candidate);
      // Built with TLS, a redis-server given a TLS port but no certificate refuses with this message; without
      // TLS it does not know the option (or ignores it) and says something else.
      if (output.contains("tls-cert-file")) {
        return Optional.of(candidate);
      }
      rejected.add(candidate + " (" + lastLine(output) + ")");
    }
    whyNot = "no redis-server with TLS found; tried " + (rejected.isEmpty() ? "none" : String.join(", ", rejected))
        + ". On Debian: apt-get install redis-server";
    return Optional.empty();
  }

  /** Runs {@code binary} with a TLS port and no certificate; returns what it printed before exiting. */
  private static String probe(Path binary) {
    Path dir = null;
    Process process = null;
    try {
      dir = Files.createTempDirectory("bullpen-tls-probe-");
      Path log = dir.resolve("probe.log");
      process = new ProcessBuilder(binary.toString(), "--port", "0", "--tls-port", Integer.toString(FreePort.find()),
          "--bind", EmbeddedRedis.HOST, "--save", "", "--appendonly", "no", "--dir", dir.toString())
          .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(Redirect.to(log.toFile())).start();
      if (!process.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        return "still running after " + PROBE_TIMEOUT.toSeconds() + " s";
      }
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "cannot run: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } finally {
      Processes.stop(process, Duration.ofSeconds(1));
      deleteQuietly(dir);
    }
  }

  private static String lastLine(String output) {
    return output.lines().filter(line -> !line.isBlank()).reduce((first, second) -> second).orElse("no output").strip();
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // Best effort: a leftover temp directory is harmless.
    }
  }
}
