package io.bullpen.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * How {@link EmbeddedRedis} runs its {@code redis-server}: which binary, an optional config file, whether the
 * chosen port is a TLS port, and the arguments after the test kit's defaults.
 *
 * @param binary the executable, or null for the one shipped in embedded-redis ({@link RedisBinary})
 * @param label how {@code toString} names the server, e.g. {@code embedded Redis 7.0.15}
 * @param configText written to {@code redis.conf} in the server's directory and passed first (sentinels need
 *     a config file they can rewrite), or null for none
 * @param tls whether the chosen port is served as {@code --tls-port} (with {@code --port 0}) instead
 * @param portArgs more arguments that need ports of their own (e.g. {@code --cluster-port}), computed once per
 *     fresh start so that a retry on a new port also gets new ones, and kept for restarts
 * @param args further {@code redis-server} arguments, which override the defaults
 */
record ServerLaunch(
    Path binary, String label, String configText, boolean tls, IntFunction<List<String>> portArgs, List<String> args) {
  ServerLaunch {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(portArgs, "portArgs");
    args = List.copyOf(args);
  }

  /** How {@code toString} names the binary shipped in embedded-redis. */
  static final String EMBEDDED_LABEL = "embedded Redis " + RedisBinary.VERSION;

  /** The embedded binary with {@code args}, nothing else. */
  static ServerLaunch embedded(List<String> args) {
    return new ServerLaunch(null, EMBEDDED_LABEL, null, false, port -> List.of(), args);
  }

  /** The executable to run: {@link #binary()}, or the embedded one extracted on first use. */
  Path executable() {
    return binary != null ? binary : RedisBinary.executable();
  }
}
