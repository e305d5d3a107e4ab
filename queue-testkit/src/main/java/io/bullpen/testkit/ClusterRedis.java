package io.bullpen.testkit;

import java.util.List;

/**
 * The shared test server when {@link RedisTopology#CLUSTER} is selected: a {@link RedisCluster} of three masters
 * without replicas, reached through a {@code redis-cluster://} URI naming every node.
 */
final class ClusterRedis implements RunningRedis {
  private final RedisCluster cluster;
  private final String uri;

  private ClusterRedis(RedisCluster cluster) {
    this.cluster = cluster;
    this.uri = clusterUri(cluster.seedUris());
  }

  /** Starts three masters without replicas and waits until the cluster is healthy. */
  static ClusterRedis start() {
    return new ClusterRedis(RedisCluster.builder().masters(3).replicasPerMaster(0).start());
  }

  /** {@code redis-cluster://h1:p1,h2:p2,...} from {@code redis://h:p} seeds. */
  static String clusterUri(List<String> seeds) {
    return "redis-cluster://" + String.join(",", seeds.stream().map(s -> s.substring("redis://".length())).toList());
  }

  RedisCluster cluster() {
    return cluster;
  }

  @Override
  public String uri() {
    return uri;
  }

  /** The first node's host. */
  @Override
  public String host() {
    return cluster.nodes().get(0).host();
  }

  /** The first node's port. */
  @Override
  public int port() {
    return cluster.nodes().get(0).port();
  }

  @Override
  public String source() {
    return SOURCE_CLUSTER;
  }

  @Override
  public boolean isCluster() {
    return true;
  }

  @Override
  public List<String> nodeUris() {
    return cluster.seedUris();
  }

  @Override
  public void close() {
    cluster.close();
  }

  @Override
  public String toString() {
    return cluster.toString();
  }
}
