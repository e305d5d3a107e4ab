package io.bullpen.testkit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

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
 * try (RedisProcess redis = RedisProcess.builder().aclUser("app", "secret", "~app:*", "+@all").start()) {
 *   ... connect through redis.uri("app"), i.e. redis://app:secret@127.0.0.1:<port> ...
 * }
 * }</pre>
 *
 * <p>The nodes of {@link RedisCluster}, {@link RedisSentinels} and {@link TlsRedis} are {@code RedisProcess}es too.
 */
public final class RedisProcess implements RunningRedis {
  private volatile boolean frozen;
  private final EmbeddedRedis server;
  /** Passwords of the users added with {@link Builder#aclUser}, for {@link #uri(String)}; never printed. */
  private final Map<String, String> aclPasswords;

  private RedisProcess(EmbeddedRedis server, Map<String, String> aclPasswords) {
    this.server = server;
    this.aclPasswords = Map.copyOf(aclPasswords);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String uri() {
    return server.uri();
  }

  /**
   * Where to connect as a user added with {@link Builder#aclUser}, e.g. {@code redis://app:secret@127.0.0.1:41234}
   * (the password URL-encoded). The result holds the password: do not log it.
   *
   * @throws IllegalArgumentException if no such user was added
   */
  public String uri(String user) {
    String password = aclPasswords.get(user);
    if (password == null) {
      throw new IllegalArgumentException("no ACL user '" + user + "' was added to " + this);
    }
    String base = uri();
    int schemeEnd = base.indexOf("://") + 3;
    return base.substring(0, schemeEnd) + encode(user) + ":" + encode(password) + "@" + base.substring(schemeEnd);
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
    frozen = false;
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered until {@link #thaw()}. */
  public void freeze() {
    server.signal("STOP");
    frozen = true;
  }

  /** Lets a frozen server run again (SIGCONT). */
  public void thaw() {
    server.signal("CONT");
    frozen = false;
  }

  /** Whether {@link #freeze()} stopped the server and no {@link #thaw()} or {@link #kill()} came since. */
  public boolean isFrozen() {
    return frozen;
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

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The server's {@code redis-server} arguments beyond the test kit's defaults. */
  public static final class Builder {
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> aclPasswords = new HashMap<>();
    private Path binary;
    private String label;
    private String configText;
    private boolean tls;
    private IntFunction<List<String>> portArgs = port -> List.of();

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

    /**
     * Adds an ACL user that is on, has {@code password} and the given ACL rules, e.g.
     * {@code aclUser("reader", "secret", "~app:*", "+@read")}; without rules it may authenticate but run nothing.
     * The password is kept out of {@link #toString()} and messages; {@link RedisProcess#uri(String)} embeds it.
     *
     * @throws IllegalArgumentException for an empty name or password, or one with spaces or quotes (Redis re-reads
     *     command-line options as config text, which would split them)
     */
    public Builder aclUser(String name, String password, String... rules) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
      requireConfigWord(name, "user name '" + name + "'");
      requireConfigWord(password, "the password of user '" + name + "'");
      for (String rule : rules) {
        requireConfigWord(Objects.requireNonNull(rule, "rule"), "ACL rule '" + rule + "'");
      }
      String[] values = new String[rules.length + 2];
      values[0] = "on";
      values[1] = ">" + password;
      System.arraycopy(rules, 0, values, 2, rules.length);
      aclPasswords.put(name, password);
      return arg("user", name, values);
    }

    private static void requireConfigWord(String word, String what) {
      if (word.isEmpty() || word.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'')) {
        throw new IllegalArgumentException(what + " must be one word without spaces or quotes");
      }
    }

    /** An option without a value, e.g. {@code flag("sentinel")} for {@code --sentinel}. */
    Builder flag(String name) {
      args.add("--" + Objects.requireNonNull(name, "name"));
      return this;
    }

    /** Runs {@code binary} instead of the embedded one; {@code label} names it in {@code toString}. */
    Builder binary(Path binary, String label) {
      this.binary = Objects.requireNonNull(binary, "binary");
      this.label = Objects.requireNonNull(label, "label");
      return this;
    }

    /** A config file to pass first (see {@link ServerLaunch#configText()}). */
    Builder config(String text) {
      this.configText = Objects.requireNonNull(text, "text");
      return this;
    }

    /** Serves the chosen port as the TLS port, with no plain port; the TLS files come as {@link #arg} options. */
    Builder tls() {
      this.tls = true;
      return this;
    }

    /** Arguments that need ports of their own (see {@link ServerLaunch#portArgs()}). */
    Builder portArgs(IntFunction<List<String>> portArgs) {
      this.portArgs = Objects.requireNonNull(portArgs, "portArgs");
      return this;
    }

    /** Starts the server and waits until it answers PING. */
    public RedisProcess start() {
      ServerLaunch launch = new ServerLaunch(
          binary, binary == null ? ServerLaunch.EMBEDDED_LABEL : label, configText, tls, portArgs, args);
      return new RedisProcess(EmbeddedRedis.start(launch), aclPasswords);
    }
  }
}
