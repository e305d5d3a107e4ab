package io.bullpen.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@code redis-server} child process on a loopback port, started and stopped by us. By default it keeps no data
 * on disk; it can be stopped, killed, frozen and started again on the same port (and data directory) to simulate
 * outages and crashes.
 */
final class EmbeddedRedis implements RunningRedis {
  static final String HOST = "127.0.0.1";
  static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
  /** Fresh starts retry on a new port this often, because a free port can be taken before redis binds it. */
  private static final int PORT_ATTEMPTS = 3;
  private static final int OUTPUT_TAIL_CHARS = 4000;
  /** Logged once the server listens (on TCP or TLS); sentinels do not log it but answer the pid probe. */
  private static final String READY_LINE = "Ready to accept connections";

  private final Path binary;
  private final ServerLaunch launch;
  /** {@link ServerLaunch#portArgs()} for this instance's port, then {@link ServerLaunch#args()}. */
  private final List<String> extraArgs;
  private final Path configFile;
  private final Path workDir;
  private final Path logFile;
  private final int port;
  private final Thread shutdownHook;
  /** Volatile so the shutdown hook can kill it without taking the lock a stuck test thread may hold. */
  private volatile Process process;
  private boolean closed; // guarded by this

  private EmbeddedRedis(Path binary, ServerLaunch launch, Path configFile, Path workDir, int port) {
    this.binary = binary;
    this.launch = launch;
    List<String> args = new ArrayList<>(launch.portArgs().apply(port));
    args.addAll(launch.args());
    this.extraArgs = List.copyOf(args);
    this.configFile = configFile;
    this.workDir = workDir;
    this.logFile = workDir.resolve("redis-" + port + ".log");
    this.port = port;
    this.shutdownHook = new Thread(this::killForShutdown, "bullpen-redis-" + port + "-shutdown");
  }

  /** Starts a new server on a free loopback port and waits until it answers. */
  static EmbeddedRedis start() {
    return start(List.of());
  }

  /**
   * As {@link #start()}, with more {@code redis-server} arguments (e.g. {@code --appendonly yes}) after the
   * defaults, which they override.
   */
  static EmbeddedRedis start(List<String> extraArgs) {
    return start(ServerLaunch.embedded(extraArgs));
  }

  /** Starts a server as {@code launch} says on a free loopback port and waits until it answers. */
  static EmbeddedRedis start(ServerLaunch launch) {
    Path binary = launch.executable();
    Path workDir = createWorkDir();
    Path configFile;
    try {
      configFile = launch.configText() == null ? null : writeConfig(workDir, launch.configText());
    } catch (RuntimeException e) {
      deleteRecursively(workDir);
      throw e;
    }
    PortInUse lastClash = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      EmbeddedRedis redis = new EmbeddedRedis(binary, launch, configFile, workDir, FreePort.find());
      try {
        redis.startServer();
      } catch (PortInUse clash) {
        lastClash = clash;
        continue;
      } catch (RuntimeException | Error e) {
        deleteRecursively(workDir);
        throw e;
      }
      // Registered only once a process exists; close() unregisters it.
      Runtime.getRuntime().addShutdownHook(redis.shutdownHook);
      return redis;
    }
    deleteRecursively(workDir);
    throw new IllegalStateException("redis-server found its port taken " + PORT_ATTEMPTS + " times", lastClash);
  }

  @Override
  public String uri() {
    return (launch.tls() ? "rediss://" : "redis://") + HOST + ":" + port;
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String source() {
    return SOURCE_EMBEDDED;
  }

  @Override
  public boolean canRestart() {
    return true;
  }

  /** The operating-system pid of the server, or -1 while it is stopped. */
  long pid() {
    Process p = process;
    return p != null && p.isAlive() ? p.pid() : -1;
  }

  /** Directory holding the server's log; deleted on close. */
  Path workDir() {
    return workDir;
  }

  /** Whether the server process is alive (it may still be starting). */
  boolean isServerRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Kills the server at once (SIGKILL), as a crash would: nothing is flushed beyond what is on disk. */
  synchronized void kill() {
    ensureOpen();
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      try {
        p.waitFor(STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    process = null;
  }

  /** Sends the running server {@code signal} (e.g. STOP, CONT) with the system's {@code kill}. */
  synchronized void signal(String signal) {
    ensureOpen();
    long pid = pid();
    if (pid < 0) {
      throw new IllegalStateException("redis-server on port " + port + " is not running");
    }
    Processes.signal(pid, signal);
  }

  @Override
  public synchronized void stopServer() {
    ensureOpen();
    Processes.stop(process, STOP_GRACE);
    process = null;
  }

  @Override
  public synchronized void startServer() {
    ensureOpen();
    if (isServerRunning()) {
      return;
    }
    long logOffset = logSize();
    Process started = launch();
    process = started;
    try {
      awaitReady(started, logOffset);
    } catch (RuntimeException e) {
      Processes.stop(started, STOP_GRACE);
      process = null;
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Processes.stop(process, STOP_GRACE);
    process = null;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException ignored) {
      // Already shutting down, or the hook was never registered (failed start): nothing to undo.
    }
    deleteRecursively(workDir);
  }

  @Override
  public String toString() {
    return launch.label() + " at " + uri() + " (pid " + pid() + ")";
  }

  private Process launch() {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    if (configFile != null) {
      command.add(configFile.toString());   // redis-server reads a config file only as its first argument
    }
    if (launch.tls()) {
      command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
    } else {
      command.addAll(List.of("--port", Integer.toString(port)));
    }
    command.addAll(List.of(
        "--bind", HOST,
        // No RDB snapshots and no AOF unless asked for: tests want a blank server and no files left behind.
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "no",
        "--dir", workDir.toString()));
    command.addAll(extraArgs);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        // A file rather than a pipe: nobody has to drain it, and it survives restarts for diagnosis.
        .redirectOutput(Redirect.appendTo(logFile.toFile()));
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    }
  }

  /**
   * Polls until the port answers with our own process id, or our process logs that it listens. Checking the pid
   * (not just PONG) matters: if another Redis took the port meanwhile, it would answer PING while our process is
   * dying because it cannot bind. The log line covers what the plain-socket probe cannot ask: a TLS port, or a
   * server whose default user may not run INFO.
   */
  private void awaitReady(Process started, long logOffset) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!launch.tls() && RedisPing.serverPid(HOST, port, PROBE_TIMEOUT, requiredPassword()) == started.pid()) {
        return;
      }
      if (started.isAlive() && outputSince(logOffset).contains(READY_LINE)) {
        return;
      }
      if (!started.isAlive()) {
        String output = outputSince(logOffset);
        String message = "redis-server on port " + port + " exited with code " + started.exitValue()
            + " before answering PING; output:\n" + output;
        // glibc says "Address already in use", the musl-linked binaries in embedded-redis "Address in use".
        if (output.contains("Address already in use") || output.contains("Address in use")) {
          throw new PortInUse(message);
        }
        throw new IllegalStateException(message);
      }
      sleep(Duration.ofMillis(20));
    }
    throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
        + START_TIMEOUT.toSeconds() + " s; output:\n" + outputSince(logOffset));
  }

  /** The {@code requirepass} given to the server, which the readiness probe must AUTH with, or null. */
  private String requiredPassword() {
    int at = extraArgs.indexOf("--requirepass");
    return at >= 0 && at + 1 < extraArgs.size() ? extraArgs.get(at + 1) : null;
  }

  private void killForShutdown() {
    Processes.stop(process, Duration.ofSeconds(2));
    deleteRecursively(workDir);
  }

  private synchronized void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("embedded Redis on port " + port + " is closed");
    }
  }

  private long logSize() {
    try {
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The last part of what the server printed since {@code offset}, for error messages. */
  private String outputSince(long offset) {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long start = Math.max(offset, file.length() - OUTPUT_TAIL_CHARS);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  private static Path writeConfig(Path workDir, String text) {
    Path file = workDir.resolve("redis.conf");
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static Path createWorkDir() {
    try {
      return Files.createTempDirectory("bullpen-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory for redis-server", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // Best effort: a leftover temp directory is harmless.
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }

  /** The port was taken by someone else between finding it free and redis binding it. */
  private static final class PortInUse extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortInUse(String message) {
      super(message);
    }
  }
}
