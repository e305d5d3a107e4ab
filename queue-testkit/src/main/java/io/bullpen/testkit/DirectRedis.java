package io.bullpen.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain Lettuce connection to a {@link RunningRedis} for tests that read or write keys directly (to check the
 * wire layout, or to put data into a state only another process would), on a single server and on a cluster alike.
 *
 * <p>{@link #sync()} is a {@code RedisCommands} on a single server and a {@code RedisAdvancedClusterCommands} on a
 * cluster, which routes each key command to the node owning its slot and fans {@code KEYS}, {@code SCAN},
 * {@code FLUSHALL} and {@code SCRIPT FLUSH} out to every master. What is per server ({@code CLIENT LIST},
 * {@code INFO}) goes through {@link #nodes()}, {@link #clientList()} and {@link #commandCalls(String)}.
 * Transactions ({@code MULTI}) are single-server only: a cluster has no transaction across nodes.
 */
public final class DirectRedis implements AutoCloseable {
  private static final String CLUSTER_SCHEME = "redis-cluster://";
  private static final Pattern CALLS = Pattern.compile("calls=(\\d+)");

  private final ClientResources resources;
  private final RedisClient client;
  private final RedisClusterClient clusterClient;
  private final StatefulRedisConnection<String, String> connection;
  private final StatefulRedisClusterConnection<String, String> clusterConnection;

  private DirectRedis(String uri, List<String> clusterNodes) {
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    if (clusterNodes != null) {
      this.client = null;
      this.connection = null;
      this.clusterClient = RedisClusterClient.create(resources, clusterNodes.stream().map(RedisURI::create).toList());
      this.clusterConnection = clusterClient.connect();
    } else {
      this.clusterClient = null;
      this.clusterConnection = null;
      this.client = RedisClient.create(resources, uri);
      this.connection = client.connect();
    }
  }

  /** Connects to {@code redis}; close the result when done. */
  public static DirectRedis connect(RunningRedis redis) {
    return new DirectRedis(redis.uri(), redis.isCluster() ? redis.nodeUris() : null);
  }

  /**
   * Connects to {@code uri}: {@code redis://host:port} or, for a cluster, {@code redis-cluster://h1:p1,h2:p2,...}
   * (what {@link RunningRedis#uri()} gives, e.g. passed to a child JVM). Credentials and options are not parsed
   * for a cluster URI.
   */
  public static DirectRedis connect(String uri) {
    if (uri.startsWith(CLUSTER_SCHEME)) {
      List<String> nodes = new ArrayList<>();
      for (String hostPort : uri.substring(CLUSTER_SCHEME.length()).split(",")) {
        nodes.add("redis://" + hostPort.trim());
      }
      return new DirectRedis(uri, nodes);
    }
    return new DirectRedis(uri, null);
  }

  /** Commands on the whole server or cluster (see the class comment for what a cluster routes where). */
  public RedisClusterCommands<String, String> sync() {
    return connection != null ? connection.sync() : clusterConnection.sync();
  }

  /** The asynchronous form of {@link #sync()}. */
  public RedisClusterAsyncCommands<String, String> async() {
    return connection != null ? connection.async() : clusterConnection.async();
  }

  /** Whether this connection goes to a cluster. */
  public boolean isCluster() {
    return clusterConnection != null;
  }

  /** The commands of every master on its own (for a single server, just its commands). */
  public List<RedisCommands<String, String>> nodes() {
    if (connection != null) {
      return List.of(connection.sync());
    }
    List<RedisCommands<String, String>> masters = new ArrayList<>();
    for (RedisClusterNode node : clusterConnection.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        masters.add(clusterConnection.getConnection(node.getNodeId()).sync());
      }
    }
    return masters;
  }

  /** The commands of the master owning {@code key}'s slot (for a single server, its commands). */
  public RedisCommands<String, String> nodeFor(String key) {
    if (connection != null) {
      return connection.sync();
    }
    RedisClusterNode owner = clusterConnection.getPartitions()
        .getPartitionBySlot(io.lettuce.core.cluster.SlotHash.getSlot(key));
    return clusterConnection.getConnection(owner.getNodeId()).sync();
  }

  /** {@code CLIENT LIST} of every master, one after the other. */
  public String clientList() {
    StringBuilder out = new StringBuilder();
    for (RedisCommands<String, String> node : nodes()) {
      out.append(node.clientList());
      if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** How often {@code command} ran, summed over every master ({@code INFO commandstats}). */
  public long commandCalls(String command) {
    long calls = 0;
    for (RedisCommands<String, String> node : nodes()) {
      for (String line : node.info("commandstats").split("\r?\n")) {
        if (line.startsWith("cmdstat_" + command + ":")) {
          Matcher m = CALLS.matcher(line);
          if (m.find()) {
            calls += Long.parseLong(m.group(1));
          }
        }
      }
    }
    return calls;
  }

  @Override
  public void close() {
    try {
      if (connection != null) {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      } else {
        clusterConnection.close();
        clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    } finally {
      resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
