package io.bullpen.testkit;

import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Redis Cluster of a test's own: {@code redis-server --cluster-enabled yes} processes on free loopback ports
 * (each with a free cluster-bus port too), joined with {@code CLUSTER MEET}, {@code ADDSLOTSRANGE} and
 * {@code REPLICATE}, and ready once every node says {@code cluster_state:ok}, all agree on the slot map and every
 * replica has synced. Needs neither {@code redis-cli} nor Docker.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.builder().masters(3).replicasPerMaster(1).start()) {
 *   ... connect a RedisClusterClient to cluster.seedUris() ...
 *   RedisProcess owner = cluster.masterFor("some-key");
 *   owner.kill();                                        // or freeze()
 *   RedisProcess promoted = cluster.awaitFailover(owner, Duration.ofSeconds(30));
 *   owner.startServer();                                 // comes back as a replica of the promoted node
 *   cluster.awaitHealthy(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Each node is a {@link RedisProcess}, with its kill, freeze, thaw, stop and start; its node id and
 * {@code nodes.conf} survive restarts. The servers keep no data on disk. Closing stops every process by its pid
 * and deletes their directories.
 */
public final class RedisCluster implements AutoCloseable {
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisProcess> nodes;
  private final int masters;
  private final Map<RedisProcess, String> ids = new LinkedHashMap<>();
  private final NodeClient client = new NodeClient();
  /** For each master at the last healthy check, a slot it owned: what {@link #awaitFailover} watches. */
  private final Map<String, Integer> slotOfMaster = new ConcurrentHashMap<>();

  private RedisCluster(List<RedisProcess> nodes, int masters) {
    this.nodes = List.copyOf(nodes);
    this.masters = masters;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The masters in slot order, then the replicas: node {@code masters + k} follows master {@code k % masters}. */
  public List<RedisProcess> nodes() {
    return nodes;
  }

  /** {@code redis://127.0.0.1:<port>} of every node, for a cluster client's seeds. */
  public List<String> seedUris() {
    return nodes.stream().map(RedisProcess::uri).toList();
  }

  /** The cluster node id of {@code node} (kept across its restarts). */
  public String nodeId(RedisProcess node) {
    String id = ids.get(node);
    if (id == null) {
      throw new IllegalArgumentException(node + " is not a node of this cluster");
    }
    return id;
  }

  /** The slot of {@code key}: CRC16 of the key, or of its {@code {hash tag}}, modulo 16384 (Lettuce's SlotHash). */
  public static int slotOf(String key) {
    return SlotHash.getSlot(key);
  }

  /** The master owning {@code key}'s slot, as the first running node that answers sees it. */
  public RedisProcess masterFor(String key) {
    String owner = anyView().ownerOf(slotOf(key));
    if (owner == null) {
      throw new IllegalStateException("no node owns the slot of '" + key + "' right now");
    }
    return byId(owner);
  }

  /** The nodes that own slots now, as the first running node that answers sees it. */
  public List<RedisProcess> masters() {
    ClusterNodes view = anyView();
    return view.nodes().stream()
        .filter(n -> n.isMaster() && !n.slotRanges().isEmpty() && !n.isFailing())
        .map(n -> byId(n.id())).toList();
  }

  /**
   * Waits until every running node (one whose process runs, frozen or not) answers {@code cluster_state:ok}, all
   * agree on a slot map covering every slot, none sees a running node as failing, and every replica has synced.
   */
  public void awaitHealthy(Duration timeout) {
    ClusterNodes view = Await.until(timeout, "cluster " + ports() + " healthy", () -> agreedView(null, true));
    recordMasters(view);
  }

  /**
   * Waits until the cluster has replaced {@code failedMaster} (killed, frozen or stopped by the test): every other
   * running node says {@code cluster_state:ok}, they agree on the slot map, and the slots {@code failedMaster}
   * owned belong to another node. Returns that node, a promoted replica.
   *
   * @throws IllegalArgumentException if {@code failedMaster} owned no slots at the last healthy check
   */
  public RedisProcess awaitFailover(RedisProcess failedMaster, Duration timeout) {
    String failedId = nodeId(failedMaster);
    Integer slot = slotOfMaster.get(failedId);
    if (slot == null) {
      throw new IllegalArgumentException(failedMaster + " owned no slots at the last healthy check");
    }
    ClusterNodes view = Await.until(timeout, "failover of " + failedMaster.port(), () -> {
      ClusterNodes agreed = agreedView(failedMaster, false);
      String owner = agreed.ownerOf(slot);
      if (failedId.equals(owner)) {
        throw new Await.NotYet("slot " + slot + " still belongs to " + failedMaster.port() + ": " + agreed);
      }
      return agreed;
    });
    recordMasters(view);
    return byId(view.ownerOf(slot));
  }

  /** Stops every node by its pid and deletes their directories. */
  @Override
  public void close() {
    try {
      client.close();
    } finally {
      closeAll(nodes);
    }
  }

  @Override
  public String toString() {
    return "Redis Cluster of " + masters + " masters on ports " + ports();
  }

  /**
   * The view all running nodes but {@code skip} share, once each says {@code cluster_state:ok} and covers every
   * slot; with {@code strict}, also no running node seen failing or still joining, and every replica synced.
   */
  private ClusterNodes agreedView(RedisProcess skip, boolean strict) throws Await.NotYet {
    ClusterNodes agreed = null;
    for (RedisProcess node : nodes) {
      if (node == skip || node.pid() < 0) {
        continue;
      }
      String state = client.call(node, redis -> redis.clusterInfo());
      if (!state.contains("cluster_state:ok")) {
        throw new Await.NotYet(node.port() + " is not cluster_state:ok");
      }
      ClusterNodes view = ClusterNodes.parse(client.call(node, redis -> redis.clusterNodes()));
      if (!view.coversAllSlots()) {
        throw new Await.NotYet(node.port() + " sees slots without owner: " + view);
      }
      if (agreed != null && !agreed.slotMap().equals(view.slotMap())) {
        throw new Await.NotYet(node.port() + " sees another slot map: " + view + " vs " + agreed);
      }
      if (strict) {
        requireSettled(node, view);
      }
      agreed = view;
    }
    if (agreed == null) {
      throw new Await.NotYet("no node is running");
    }
    return agreed;
  }

  private void requireSettled(RedisProcess node, ClusterNodes view) throws Await.NotYet {
    for (ClusterNodes.Node seen : view.nodes()) {
      RedisProcess process = byId(seen.id());
      if (seen.isJoining() || (process.pid() > 0 && seen.isFailing())) {
        throw new Await.NotYet(node.port() + " sees " + seen.port() + " as " + seen.flags());
      }
    }
    if (view.nodes().size() != nodes.size()) {
      throw new Await.NotYet(node.port() + " knows " + view.nodes().size() + " of " + nodes.size() + " nodes");
    }
    if (!view.myself().isMaster()
        && !"up".equals(client.infoField(node, "replication", "master_link_status"))) {
      throw new Await.NotYet("replica " + node.port() + " has not synced with its master");
    }
  }

  private void recordMasters(ClusterNodes view) {
    slotOfMaster.clear();
    for (ClusterNodes.Node node : view.nodes()) {
      int slot = view.firstSlotOf(node.id());
      if (slot >= 0) {
        slotOfMaster.put(node.id(), slot);
      }
    }
  }

  /** The view of the first running node that answers. */
  private ClusterNodes anyView() {
    RuntimeException last = null;
    for (RedisProcess node : nodes) {
      if (node.pid() < 0) {
        continue;
      }
      try {
        return ClusterNodes.parse(client.call(node, redis -> redis.clusterNodes()));
      } catch (RuntimeException e) {
        last = e;   // frozen or just killed: ask the next one
      }
    }
    throw new IllegalStateException("no node of " + this + " answers", last);
  }

  private RedisProcess byId(String id) {
    return ids.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown cluster node id " + id));
  }

  private List<Integer> ports() {
    return nodes.stream().map(RedisProcess::port).toList();
  }

  private static void closeAll(List<RedisProcess> processes) {
    for (RedisProcess process : processes) {
      try {
        process.close();
      } catch (RuntimeException ignored) {
        // Keep closing the others; each close stops its own process by pid.
      }
    }
  }

  /** How many nodes, and the node timeout. */
  public static final class Builder {
    private int masters = 3;
    private int replicasPerMaster;
    private Duration nodeTimeout = Duration.ofMillis(2000);

    private Builder() {}

    /** How many masters share the 16384 slots (default 3). */
    public Builder masters(int masters) {
      if (masters < 1) {
        throw new IllegalArgumentException("a cluster needs at least one master, was " + masters);
      }
      this.masters = masters;
      return this;
    }

    /** Replicas per master (default 0); failover needs at least one. */
    public Builder replicasPerMaster(int replicas) {
      if (replicas < 0) {
        throw new IllegalArgumentException("replicas per master must not be negative, was " + replicas);
      }
      this.replicasPerMaster = replicas;
      return this;
    }

    /**
     * {@code cluster-node-timeout} (default 2 s): how long a node may be silent before it is failed over. Small
     * values make failover tests fast; below about 1 s a busy machine may trigger failovers by itself.
     */
    public Builder nodeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.toMillis() < 100) {
        throw new IllegalArgumentException("node timeout must be at least 100 ms, was " + timeout);
      }
      this.nodeTimeout = timeout;
      return this;
    }

    /** Starts the nodes, joins them and waits until the cluster is healthy (at most 30 s). */
    public RedisCluster start() {
      List<RedisProcess> started = new ArrayList<>();
      RedisCluster cluster = null;
      try {
        for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
          started.add(node(nodeTimeout).start());
        }
        cluster = new RedisCluster(started, masters);
        cluster.ids.putAll(new ClusterJoin(cluster.client, started, masters).join());
        cluster.awaitHealthy(JOIN_TIMEOUT);
        return cluster;
      } catch (RuntimeException | Error e) {
        if (cluster != null) {
          cluster.close();
        } else {
          closeAll(started);
        }
        throw e;
      }
    }

    private static RedisProcess.Builder node(Duration nodeTimeout) {
      return RedisProcess.builder()
          .portArgs(port -> List.of("--cluster-port", Integer.toString(FreePort.find())))
          .arg("cluster-enabled", "yes")
          .arg("cluster-config-file", "nodes.conf")
          .arg("cluster-node-timeout", Long.toString(nodeTimeout.toMillis()))
          // A replica may always take over, however long ago it heard from its master: tests kill at any moment.
          .arg("cluster-replica-validity-factor", "0")
          // Replicas stay with the master the test gave them.
          .arg("cluster-allow-replica-migration", "no")
          // Replicas sync at once instead of after the default 5 s wait for more replicas.
          .arg("repl-diskless-sync-delay", "0");
    }
  }
}
