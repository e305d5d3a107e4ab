package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.internal.connection.ConnectionScope;
import io.bullpen.redis.internal.connection.SharedConnections;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;

/**
 * One process's way to Redis: a Lettuce client with its threads, one command connection and one publish/subscribe
 * connection, shared by every {@link Queue}, {@link Worker}, {@link BatchWorker}, {@link QueueEvents},
 * {@link FlowProducer} and queue scheduler whose options name it ({@code .connector(connector)}). Each of them
 * opens only the connections its blocking reads need (a worker's wait for jobs, an event reader's stream), and
 * closing one of them closes only those. Objects given a plain {@link RedisConfig} instead make a connector of
 * their own and close it with themselves.
 *
 * <pre>{@code
 * try (RedisConnector redis = RedisConnector.create(RedisConfig.of("redis://127.0.0.1:6379"))) {
 *   Queue mail = new Queue("mail", QueueOptions.builder().connector(redis).build());
 *   Worker worker = new Worker("mail", job -> send(job), WorkerOptions.builder().connector(redis).build());
 * }
 * }</pre>
 *
 * <p>Whoever created a Lettuce resource closes it: {@link #close()} shuts down the client and resources the
 * connector created, never ones the application handed in. Close the objects built on a connector before the
 * connector; their calls fail with a {@link io.bullpen.ClosedException} or a
 * {@link io.bullpen.QueueConnectionException} after it closed. Thread-safe.
 */
public final class RedisConnector implements AutoCloseable {
  private final SharedConnections connections;

  private RedisConnector(SharedConnections connections) {
    this.connections = connections;
  }

  /** A connector with its own Lettuce client and resources (event loops, timers), configured from {@code config}. */
  public static RedisConnector create(RedisConfig config) {
    return new RedisConnector(SharedConnections.create(require(config), null));
  }

  /**
   * A connector with its own client on the application's {@code resources} (shared with the application's other
   * Lettuce clients and left running by {@link #close()}). {@link RedisConfig#reconnectDelayMax()} does not apply:
   * the resources' reconnect delay does.
   */
  public static RedisConnector create(RedisConfig config, ClientResources resources) {
    if (resources == null) {
      throw new InvalidOptionException("resources", null, "is required (use create(config) for resources of its own)");
    }
    return new RedisConnector(SharedConnections.create(require(config), resources));
  }

  /**
   * A connector on the application's standalone or Sentinel {@code client}, left open by {@link #close()}.
   * {@code config} says where to connect and Bullpen's own limits (command timeout for its calls, payload size);
   * the client's options are used as they are, so give it a command timeout longer than the longest blocking read
   * (11 s for workers with the default drain delay) or timeouts that exempt blocking commands, and
   * {@code REJECT_COMMANDS} while disconnected, as Bullpen's own clients have.
   */
  public static RedisConnector using(RedisClient client, RedisConfig config) {
    if (client == null) {
      throw new InvalidOptionException("client", null, "is required");
    }
    return new RedisConnector(SharedConnections.wrap(require(config), client));
  }

  /** As {@link #using(RedisClient, RedisConfig)}, for a cluster client and a {@code redis-cluster://} config. */
  public static RedisConnector using(RedisClusterClient client, RedisConfig config) {
    if (client == null) {
      throw new InvalidOptionException("client", null, "is required");
    }
    return new RedisConnector(SharedConnections.wrap(require(config), client));
  }

  /** {@code connector}, for options that name one. */
  static RedisConnector require(RedisConnector connector) {
    if (connector == null) {
      throw new InvalidOptionException("connector", null, "is required (or give redis(config))");
    }
    return connector;
  }

  private static RedisConfig require(RedisConfig config) {
    if (config == null) {
      throw new InvalidOptionException("config", null, "is required");
    }
    return config;
  }

  /** The settings this connector connects with. */
  public RedisConfig config() {
    return connections.config();
  }

  /** Whether this connector talks to a Redis Cluster. */
  public boolean isCluster() {
    return connections.isCluster();
  }

  /**
   * The connections an object with these settings uses: the connector's when {@code connector} is given, else a
   * connector of its own for {@code config}, closed with the scope.
   */
  static ConnectionScope scope(RedisConnector connector, RedisConfig config) {
    return connector != null ? ConnectionScope.borrowing(connector.connections)
        : ConnectionScope.owning(SharedConnections.create(config, null));
  }

  /**
   * Closes the connector's connections, and the Lettuce client and resources it created. Idempotent; waits a few
   * seconds at most.
   */
  @Override
  public void close() {
    connections.close();
  }

  @Override
  public String toString() {
    return "RedisConnector{" + config().maskedUri() + (isCluster() ? ", cluster" : "") + "}";
  }
}
