package io.bullpen.testkit;

/**
 * A Redis server a test may use, obtained from {@link RedisLauncher#start()}.
 *
 * <p>Closing it releases whatever the launcher started: an embedded process is killed, a container is
 * stopped. A Redis given through {@code REDIS_URL} belongs to someone else and is left untouched.
 */
public interface RunningRedis extends AutoCloseable {
  /** {@link #source()} of a Redis named by the {@code REDIS_URL} environment variable. */
  String SOURCE_REDIS_URL = "REDIS_URL";
  /** {@link #source()} of a {@code redis:7} container started through Testcontainers. */
  String SOURCE_TESTCONTAINERS = "testcontainers";
  /** {@link #source()} of a {@code redis-server} process started by this test kit. */
  String SOURCE_EMBEDDED = "embedded";
  /** {@link #source()} of a local Redis Cluster started by this test kit ({@link RedisTopology#CLUSTER}). */
  String SOURCE_CLUSTER = "cluster";

  /**
   * Where to connect, e.g. {@code redis://127.0.0.1:41234}; for {@code REDIS_URL} the value as given; for a
   * cluster {@code redis-cluster://127.0.0.1:41234,127.0.0.1:41236,...}, the form Bullpen's {@code RedisConfig}
   * takes. Raw Lettuce access that works on both: {@link DirectRedis#connect(RunningRedis)}.
   */
  String uri();

  /** Host name or address to connect to. */
  String host();

  /** TCP port to connect to. */
  int port();

  /**
   * How the server was obtained: {@link #SOURCE_REDIS_URL}, {@link #SOURCE_TESTCONTAINERS}, {@link #SOURCE_EMBEDDED}
   * or {@link #SOURCE_CLUSTER}.
   */
  String source();

  /** Whether this is a Redis Cluster: queue names need a hash tag ({@link QueueNames}). */
  default boolean isCluster() {
    return false;
  }

  /** {@code redis://host:port} of every node (for a single server, {@link #uri()}). */
  default java.util.List<String> nodeUris() {
    return java.util.List.of(uri());
  }

  /** Whether {@link #stopServer()} and {@link #startServer()} are supported (only for the embedded server). */
  default boolean canRestart() {
    return false;
  }

  /**
   * Stops the server but keeps its port reserved for {@link #startServer()}, so a test can watch clients cope
   * with Redis going away. Any data is lost.
   *
   * @throws UnsupportedOperationException unless {@link #canRestart()}
   */
  default void stopServer() {
    throw new UnsupportedOperationException("cannot stop a Redis from " + source());
  }

  /**
   * Starts the server again on the same host and port after {@link #stopServer()}; does nothing if it is running.
   *
   * @throws UnsupportedOperationException unless {@link #canRestart()}
   * @throws IllegalStateException if it does not answer PING in time
   */
  default void startServer() {
    throw new UnsupportedOperationException("cannot restart a Redis from " + source());
  }

  /** Releases the server; calling it again does nothing. */
  @Override
  void close();
}
