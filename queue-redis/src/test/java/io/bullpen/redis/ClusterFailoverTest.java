package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.testkit.RedisCluster;
import io.bullpen.testkit.RedisProcess;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.StandaloneOnly;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A master of a Redis Cluster fails while a worker processes its queue and a producer keeps adding: once a replica
 * has taken over, processing resumes by itself, every acknowledged add completes with its {@code completed} event,
 * no job stays active and no job runs more than twice. Prints the recovery figures.
 */
@RedisTest
@StandaloneOnly("starts a Redis Cluster of its own (with replicas, to fail masters over); already runs in the standalone pass")
class ClusterFailoverTest {
  @Test
  void aKilledMasterIsReplacedAndNothingIsLostOrStuck() throws Exception {
    failOver("SIGKILL", RedisProcess::kill, master -> { });
  }

  @Test
  void aFrozenMasterIsReplacedAndNothingIsLostOrStuck() throws Exception {
    failOver("SIGSTOP", RedisProcess::freeze, RedisProcess::thaw);
  }

  private void failOver(String how, Consumer<RedisProcess> fail, Consumer<RedisProcess> afterwards)
      throws Exception {
    try (RedisCluster cluster = RedisCluster.builder().masters(3).replicasPerMaster(1).start();
        RedisConnector connector = RedisConnector.create(RedisConfig.of(ClusterQueueTest.clusterUri(cluster)))) {
      // A worker on another queue opens the connector's shared pub/sub connection; the queue under test lives on
      // that connection's node when it is a master, so the failover also takes the pub/sub node away.
      Worker opener = new Worker("{opener}", job -> null, WorkerOptions.builder().connector(connector).build());
      RedisProcess pubSubNode = awaitPubSubNode(cluster);
      String name = queueOn(cluster, cluster.masters().contains(pubSubNode) ? pubSubNode : cluster.masters().get(0));
      FailoverScenario.Outcome outcome = FailoverScenario.run(connector, name, () -> cluster.masterFor(name),
          cluster::awaitFailover, fail, afterwards,
          how.startsWith("SIGSTOP") /* a frozen master comes back */);
      System.out.printf("cluster failover (%s): replica took over after %.1f s, first completion %.2f s later;"
          + " %d jobs, %d re-run, %d adds refused meanwhile, %d adds and %d completions lost by Redis;"
          + " the pub/sub node %s%n", how, outcome.toPromotion(), outcome.toResume(), outcome.jobs(),
          outcome.reruns(), outcome.failedAdds(), outcome.lostAdds(), outcome.lostCompletions(),
          pubSubNode.equals(outcome.failed()) ? "failed too" : "survived");
      opener.close();
      assertTrue(outcome.toResume() < 30, "processing resumed " + outcome.toResume() + " s after the failover");
    }
  }

  private static RedisProcess awaitPubSubNode(RedisCluster cluster) {
    RedisProcess[] found = new RedisProcess[1];
    WorkerFixture.await(() -> {
      for (RedisProcess node : cluster.nodes()) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(node.uri());
        try (var connection = client.connect()) {
          if (connection.sync().clientList().contains(" sub=1 ")) {
            found[0] = node;
            return true;
          }
        } finally {
          client.shutdown();
        }
      }
      return false;
    }, "a pub/sub connection on some node");
    return found[0];
  }

  private static String queueOn(RedisCluster cluster, RedisProcess master) {
    while (true) {
      String name = "{failover-" + UUID.randomUUID().toString().substring(0, 8) + "}";
      if (cluster.masterFor(name).equals(master)) {
        return name;
      }
    }
  }
}
