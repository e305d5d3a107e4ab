package io.bullpen.testkit;

import io.lettuce.core.Range;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes one cluster of fresh cluster-enabled nodes, as {@code redis-cli --cluster create} would: distinct config
 * epochs, {@code CLUSTER MEET}, an equal share of the slots for each master, then {@code CLUSTER REPLICATE}.
 */
final class ClusterJoin {
  private static final Duration GOSSIP_TIMEOUT = Duration.ofSeconds(20);

  private final NodeClient client;
  private final List<RedisProcess> nodes;
  private final int masters;

  ClusterJoin(NodeClient client, List<RedisProcess> nodes, int masters) {
    this.client = client;
    this.nodes = nodes;
    this.masters = masters;
  }

  /**
   * Joins the nodes: the first {@code masters} get the slots, node {@code masters + i} replicates master
   * {@code i % masters}. Returns each node's id; the caller waits for the cluster to settle.
   */
  Map<RedisProcess, String> join() {
    Map<RedisProcess, String> ids = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      RedisProcess node = nodes.get(i);
      ids.put(node, client.call(node, redis -> redis.clusterMyId()));
      // Distinct epochs before the nodes meet, so they need no collision round to tell their claims apart.
      long epoch = i + 1;
      client.call(node, redis -> redis.clusterSetConfigEpoch(epoch));
    }
    RedisProcess first = nodes.get(0);
    for (RedisProcess other : nodes.subList(1, nodes.size())) {
      int busPort = Integer.parseInt(client.call(other, redis -> redis.configGet("cluster-port")).get("cluster-port"));
      // CLUSTER MEET with the bus port: ours is not port + 10000 but a free one of its own.
      client.call(first, redis -> redis.dispatch(CommandType.CLUSTER, new StatusOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).add("MEET").add(other.host()).add(other.port()).add(busPort)));
    }
    for (int i = 0; i < masters; i++) {
      int start = i * ClusterNodes.SLOTS / masters;
      int end = (i + 1) * ClusterNodes.SLOTS / masters - 1;
      client.call(nodes.get(i), redis -> addSlots(redis, start, end));
    }
    // A replica can only follow a master it knows, so wait until gossip has introduced everyone to everyone.
    Await.until(GOSSIP_TIMEOUT, "cluster nodes meeting each other", this::allKnowEachOther);
    for (int i = masters; i < nodes.size(); i++) {
      String masterId = ids.get(nodes.get(i % masters));
      client.call(nodes.get(i), redis -> redis.clusterReplicate(masterId));
    }
    return ids;
  }

  @SuppressWarnings("unchecked")   // a generic varargs array of one range
  private static String addSlots(io.lettuce.core.api.sync.RedisCommands<String, String> redis, int start, int end) {
    return redis.clusterAddSlotsRange(Range.create(start, end));
  }

  private boolean allKnowEachOther() throws Await.NotYet {
    for (RedisProcess node : nodes) {
      ClusterNodes view = ClusterNodes.parse(client.call(node, redis -> redis.clusterNodes()));
      boolean joining = view.nodes().stream().anyMatch(ClusterNodes.Node::isJoining);
      if (view.nodes().size() < nodes.size() || joining) {
        throw new Await.NotYet(node.port() + " sees " + view);
      }
    }
    return true;
  }
}
