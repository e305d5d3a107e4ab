package io.bullpen.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs Node scripts from the repository's {@code interop/node} directory, where BullMQ is installed, so tests can
 * check that Bullpen and BullMQ read and write the same Redis data.
 *
 * <pre>{@code
 * NodeBullmq node = new NodeBullmq();
 * assumeTrue(node.isAvailable());
 * List<String> out = node.run("ping.mjs", Map.of("REDIS_URL", redis.uri()), Duration.ofSeconds(30));
 * }</pre>
 */
public final class NodeBullmq {
  /** Location of the Node project relative to the repository root. */
  public static final String RELATIVE_DIRECTORY = "interop/node";
  /** Packages that must be installed under {@code node_modules}; ioredis is BullMQ 6's optional Redis driver. */
  private static final List<String> REQUIRED_PACKAGES = List.of("bullmq", "ioredis");
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration KILL_GRACE = Duration.ofSeconds(2);
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("windows");

  /** Availability per directory, so {@code node --version} and {@code npm install} run at most once per JVM. */
  private static final Map<Path, Boolean> AVAILABILITY = new ConcurrentHashMap<>();
  private static final Object INSTALL_MONITOR = new Object();

  private final Path directory; // null when not found

  /** Uses the {@code interop/node} directory found by walking up from the current working directory. */
  public NodeBullmq() {
    this(findDirectory(Path.of("").toAbsolutePath()).orElse(null));
  }

  /** Uses the given Node project directory; {@code null} means none, so nothing is available. */
  public NodeBullmq(Path directory) {
    this.directory = directory == null ? null : directory.toAbsolutePath().normalize();
  }

  /** Walks up from {@code start} to the first directory containing {@code interop/node/package.json}. */
  public static Optional<Path> findDirectory(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE_DIRECTORY);
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The Node project directory, if one was found. */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /**
   * Whether {@code node} is on the PATH and BullMQ is installed. If {@code node_modules} is incomplete but
   * {@code npm} exists, runs {@code npm install --no-audit --no-fund} there first (once per JVM).
   */
  public boolean isAvailable() {
    return directory != null && AVAILABILITY.computeIfAbsent(directory, NodeBullmq::probe);
  }

  /**
   * Runs {@code node <script>} in the Node project directory with {@code env} added to this JVM's environment
   * (typically {@code REDIS_URL}).
   *
   * @param script path of the script, relative to the Node project directory or absolute
   * @return the lines the script printed on stdout
   * @throws IllegalStateException if it exits with a non-zero code (message includes stderr), or runs longer
   *     than {@code timeout} (it is then killed)
   */
  public List<String> run(String script, Map<String, String> env, Duration timeout) {
    if (directory == null) {
      throw new IllegalStateException(RELATIVE_DIRECTORY + " not found above " + Path.of("").toAbsolutePath());
    }
    Result result = exec(directory, List.of(executable("node"), script), env, timeout);
    if (result.timedOut) {
      throw new IllegalStateException("node " + script + " did not finish within " + timeout
          + " and was killed; stderr:\n" + result.stderr + "\nstdout:\n" + result.stdout);
    }
    if (result.exitCode != 0) {
      throw new IllegalStateException("node " + script + " exited with code " + result.exitCode
          + "; stderr:\n" + result.stderr + "\nstdout:\n" + result.stdout);
    }
    return result.stdout.lines().toList();
  }

  private static boolean probe(Path dir) {
    if (!succeeds(dir, List.of(executable("node"), "--version"), PROBE_TIMEOUT)) {
      return false;
    }
    if (installed(dir)) {
      return true;
    }
    if (!succeeds(dir, List.of(executable("npm"), "--version"), PROBE_TIMEOUT)) {
      return false;
    }
    // A file lock, because several test JVMs (surefire forks, parallel modules) may get here at once. One file
    // in the temp directory for all projects, never deleted, so every JVM always locks the same file.
    // The JVM-wide monitor comes first: a file lock is held per JVM, and a second thread asking for it would get
    // OverlappingFileLockException instead of waiting.
    Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "bullpen-npm-install.lock");
    synchronized (INSTALL_MONITOR) {
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        channel.lock(); // released when the channel closes
        if (!installed(dir)) {
          Result install = exec(dir, List.of(executable("npm"), "install", "--no-audit", "--no-fund"), Map.of(),
              INSTALL_TIMEOUT);
          if (install.timedOut || install.exitCode != 0) {
            // Reported, not thrown: callers treat "not available" as a reason to skip, and this says why.
            System.err.println("[bullpen] npm install in " + dir + " failed"
                + (install.timedOut ? " (timed out)" : " with code " + install.exitCode) + ":\n" + install.stderr);
            return false;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + lockFile, e);
      }
    }
    return installed(dir);
  }

  private static boolean installed(Path dir) {
    return REQUIRED_PACKAGES.stream()
        .allMatch(name -> Files.isRegularFile(dir.resolve("node_modules").resolve(name).resolve("package.json")));
  }

  private static boolean succeeds(Path dir, List<String> command, Duration timeout) {
    try {
      Result result = exec(dir, command, Map.of(), timeout);
      return !result.timedOut && result.exitCode == 0;
    } catch (UncheckedIOException e) {
      return false; // not on the PATH
    }
  }

  /** On Windows, npm is a batch file that ProcessBuilder does not find by its bare name. */
  private static String executable(String name) {
    return WINDOWS && name.equals("npm") ? "npm.cmd" : name;
  }

  /** Runs a command with stdout and stderr going to temp files, so nothing can block on a full pipe. */
  private static Result exec(Path dir, List<String> command, Map<String, String> env, Duration timeout) {
    Path stdout = null;
    Path stderr = null;
    try {
      stdout = Files.createTempFile("bullpen-node-", ".out");
      stderr = Files.createTempFile("bullpen-node-", ".err");
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectInput(Redirect.PIPE)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      process.getOutputStream().close(); // scripts that read stdin see EOF instead of waiting forever
      boolean finished = waitFor(process, timeout);
      if (!finished) {
        Processes.stop(process, KILL_GRACE);
      }
      return new Result(finished ? process.exitValue() : -1, !finished, read(stdout), read(stderr));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command) + " in " + dir, e);
    } finally {
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Processes.stop(process, KILL_GRACE);
      throw new IllegalStateException("interrupted while waiting for node", e);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // A leftover temp file is harmless.
      }
    }
  }

  private static final class Result {
    final int exitCode;
    final boolean timedOut;
    final String stdout;
    final String stderr;

    Result(int exitCode, boolean timedOut, String stdout, String stderr) {
      this.exitCode = exitCode;
      this.timedOut = timedOut;
      this.stdout = stdout;
      this.stderr = stderr;
    }
  }
}
