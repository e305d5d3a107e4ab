package io.bullpen.testkit;

import java.util.UUID;

/**
 * Unique queue names for tests that work on both topologies. On a Redis Cluster every key of a queue must hash to
 * one slot, which Bullpen (like BullMQ) requires through a hash tag; so under {@link RedisTopology#CLUSTER} the
 * name is wrapped in braces ({@code {q-3f2a...}}), and on a single server it is left bare ({@code q-3f2a...}), as
 * most users name queues. Keys built the usual way ({@code "bull:" + name + ":wait"}) stay right on both.
 *
 * <p>Queues that must share a slot (a flow across queues, a dead-letter queue, one scheduler for several queues)
 * take names that <em>start</em> with one {@code unique} name: {@code group + "-parents"}, {@code group +
 * "-children"}. Redis hashes only the first {@code {...}}, so on the cluster they share its slot.
 */
public final class QueueNames {
  private QueueNames() {}

  /** {@code <base>-<random uuid>}, hash-tagged on a cluster. */
  public static String unique(String base) {
    return tagged(base + "-" + UUID.randomUUID());
  }

  /** {@code name} in braces when this JVM's tests run on a cluster, else {@code name} itself. */
  public static String tagged(String name) {
    return RedisTopology.isCluster() ? "{" + name + "}" : name;
  }
}
