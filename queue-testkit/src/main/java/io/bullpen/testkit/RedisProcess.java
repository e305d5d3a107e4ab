package io.bullpen.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code redis-server} of a test's own, for fault tests: started on a free loopback port with the arguments the
 * test chose, and crashed, frozen, thawed or restarted on demand. Unlike the shared server of
 * {@link RedisExtension}, it belongs to one test, which closes it.
 *
 * <pre>{@code
 * try (RedisProcess redis = RedisProcess.builder().appendOnly().start()) {
 *   ... write through redis.uri() ...
 *   redis.kill();          // SIGKILL, as a crash
 *   redis.startServer();   // same port, same directory: the AOF is replayed
 * }
 * }</pre>
 */
public final class RedisProcess implements RunningRedis {
  private final EmbeddedRedis server;

  private RedisProcess(EmbeddedRedis server) {
    this.server = server;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String uri() {
    return server.uri();
  }

  @Override
  public String host() {
    return server.host();
  }

  @Override
  public int port() {
    return server.port();
  }

  @Override
  public String source() {
    return SOURCE_EMBEDDED;
  }

  @Override
  public boolean canRestart() {
    return true;
  }

  /** The server's process id, or -1 while it is not running. */
  public long pid() {
    return server.pid();
  }

  /** Kills the server with SIGKILL; {@link #startServer()} brings it back with whatever it had persisted. */
  public void kill() {
    server.kill();
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered until {@link #thaw()}. */
  public void freeze() {
    server.signal("STOP");
  }

  /** Lets a frozen server run again (SIGCONT). */
  public void thaw() {
    server.signal("CONT");
  }

  /** Stops the server politely (it persists what it is configured to); the port and directory are kept. */
  @Override
  public void stopServer() {
    server.stopServer();
  }

  /** Starts the server again on the same port and in the same directory; does nothing while it runs. */
  @Override
  public void startServer() {
    server.startServer();
  }

  /** Stops the server (thawing it first if frozen) and deletes its directory. */
  @Override
  public void close() {
    long pid = server.pid();
    if (pid > 0) {
      try {
        Processes.signal(pid, "CONT");
      } catch (IllegalStateException ignored) {
        // It may have exited meanwhile; close() below copes with that.
      }
    }
    server.close();
  }

  @Override
  public String toString() {
    return server.toString();
  }

  /** The server's {@code redis-server} arguments beyond the test kit's defaults. */
  public static final class Builder {
    private final List<String> args = new ArrayList<>();

    private Builder() {}

    /** Turns the append-only file on with {@code appendfsync always}, so a SIGKILL loses no acknowledged write. */
    public Builder appendOnly() {
      return arg("appendonly", "yes").arg("appendfsync", "always");
    }

    /**
     * Any {@code redis-server} option, e.g. {@code arg("maxmemory", "2mb")}; options of several words take one
     * value per word, e.g. {@code arg("user", "app", "on", ">secret", "~*", "+@all")}.
     */
    public Builder arg(String name, String value, String... moreValues) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isBlank() || name.startsWith("-")) {
        throw new IllegalArgumentException("option name must be given without dashes, was '" + name + "'");
      }
      if (name.equals("port") || name.equals("bind") || name.equals("dir") || name.equals("daemonize")) {
        throw new IllegalArgumentException("option '" + name + "' is chosen by the test kit");
      }
      args.add("--" + name);
      args.add(value);
      for (String more : moreValues) {
        args.add(Objects.requireNonNull(more, "value"));
      }
      return this;
    }

    /** Starts the server and waits until it answers PING. */
    public RedisProcess start() {
      return new RedisProcess(EmbeddedRedis.start(args));
    }
  }
}
