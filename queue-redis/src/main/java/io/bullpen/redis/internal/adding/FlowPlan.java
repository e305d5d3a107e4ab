package io.bullpen.redis.internal.adding;

import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.JobParent;
import io.bullpen.JobState;
import io.bullpen.FlowNode;
import io.bullpen.JobNode;
import io.bullpen.JobSpec;
import io.bullpen.redis.internal.codec.Payloads;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.keys.QueueKeys;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Flow trees flattened into the nodes {@link FlowAdder} stores, level by level across all trees (as BullMQ's
 * addBulk orders them: every root, then every second level, ...) so every parent comes before its children and
 * the events come in BullMQ's order, with ids given up front (a node's custom {@code jobId}, else a random UUID as BullMQ 6 gives) so
 * children can name their parent. Validation happens here, before anything is sent.
 */
public final class FlowPlan {
  private final List<FlowAdder.Node> nodes = new ArrayList<>();
  private final List<Integer> parentIndexes = new ArrayList<>();
  private final List<Integer> rootIndexes = new ArrayList<>();

  private record Pending(FlowNode node, int parentIndex, String path) {}

  private FlowPlan() {}

  /**
   * Plans {@code roots} (each a whole tree) with {@code defaultPrefix} for nodes naming none and {@code now} as
   * the timestamp of nodes without their own. {@code path} names a root in messages ({@code flow},
   * {@code flows[i]} with several).
   */
  public static FlowPlan of(List<FlowNode> roots, String defaultPrefix, long now, Payloads payloads) {
    FlowPlan plan = new FlowPlan();
    Deque<Pending> pending = new ArrayDeque<>();
    for (int r = 0; r < roots.size(); r++) {
      FlowNode root = roots.get(r);
      String path = roots.size() == 1 ? "flow" : "flows[" + r + "]";
      if (root == null) {
        throw new InvalidOptionException(path, null, "must not be null");
      }
      plan.rootIndexes.add(r);
      pending.add(new Pending(root, -1, path));
    }
    plan.addLevels(pending, defaultPrefix, now, payloads);
    return plan;
  }

  private void addLevels(Deque<Pending> pending, String defaultPrefix, long now, Payloads payloads) {
    while (!pending.isEmpty()) {
      Pending p = pending.poll();
      FlowNode node = p.node();
      QueueKeys queue = new QueueKeys(node.prefix().orElse(defaultPrefix), node.queueName());
      JobOptions options = node.options();
      if (options.deduplication().isPresent()) {
        throw new InvalidOptionException(p.path() + ".options.deduplication", options.deduplication().get().id(),
            "flow jobs are not deduplicated (BullMQ 6 refuses it on flow parents and children)");
      }
      FlowAdder.Link link = null;
      if (p.parentIndex() >= 0) {
        if (options.parent().isPresent()) {
          throw new InvalidOptionException(p.path() + ".options.parent", options.parent().get().key(),
              "only the root of a flow may name a parent; the tree links the other nodes");
        }
        FlowAdder.Node parentNode = nodes.get(p.parentIndex());
        JobParent parent = new JobParent(parentNode.jobId(), parentNode.queue().qualifiedName());
        options = options.toBuilder().parent(parent).build();
        link = FlowAdder.Link.toTreeNode(parent, options);
      } else if (options.parent().isPresent()) {
        link = FlowAdder.Link.toExisting(options.parent().get(), options);
      }
      String id = options.jobId().orElseGet(() -> UUID.randomUUID().toString());
      for (int a = p.parentIndex(); a >= 0; a = parentIndexes.get(a)) {
        FlowAdder.Node ancestor = nodes.get(a);
        if (ancestor.jobId().equals(id) && ancestor.queue().keyPrefix().equals(queue.keyPrefix())) {
          throw new InvalidOptionException(p.path() + ".options.jobId", id,
              "is the id of one of the node's own ancestors; a job cannot wait for itself");
        }
      }
      JobAdder.Prepared prepared =
          JobAdder.prepare(JobSpec.of(node.name(), node.data(), options), JobOptions.defaults(), now, p.path() + ".",
              payloads);
      int index = nodes.size();
      nodes.add(new FlowAdder.Node(queue, id, prepared, !node.children().isEmpty(), link));
      parentIndexes.add(p.parentIndex());
      for (int c = 0; c < node.children().size(); c++) {
        pending.add(new Pending(node.children().get(c), index, p.path() + ".children[" + c + "]"));
      }
    }
  }

  public List<FlowAdder.Node> nodes() {
    return nodes;
  }

  /**
   * For a Redis Cluster, where one script may only touch keys of one slot: throws, before anything is sent, unless
   * every queue of the flow (and the existing parent a root names) lives in one slot.
   */
  public void requireOneSlot() {
    QueueKeys first = null;
    for (FlowAdder.Node node : nodes) {
      List<QueueKeys> queues = new ArrayList<>();
      queues.add(node.queue());
      if (node.link() != null && !node.link().inCall()) {
        String parentQueue = node.link().parent().queue();
        int colon = parentQueue.lastIndexOf(':');
        queues.add(new QueueKeys(parentQueue.substring(0, colon), parentQueue.substring(colon + 1)));
      }
      for (QueueKeys queue : queues) {
        queue.requireOneSlot();
        if (first == null) {
          first = queue;
        } else if (queue.slot() != first.slot()) {
          throw new InvalidOptionException("flow", queue.qualifiedName(), "on a Redis Cluster all queues of a flow"
              + " must share one slot, and queue '" + first.qualifiedName() + "' is in slot " + first.slot()
              + " but '" + queue.qualifiedName() + "' in slot " + queue.slot() + ": give them one hash tag, e.g."
              + " the prefix '{" + first.prefix() + "}'");
        }
      }
    }
  }

  /**
   * The stored trees, one per root, built from what {@code addFlow} answered; {@code stateOf} tells the state of
   * a node that already existed (its id was taken).
   */
  public List<JobNode> assemble(List<FlowAdder.Stored> stored, Function<RedisJob, JobState> stateOf) {
    List<List<JobNode>> children = new ArrayList<>(stored.size());
    for (int i = 0; i < stored.size(); i++) {
      children.add(new ArrayList<>());
    }
    JobNode[] built = new JobNode[stored.size()];
    // Children come after their parent, so building from the end finds every child list complete.
    for (int i = stored.size() - 1; i >= 0; i--) {
      FlowAdder.Stored s = stored.get(i);
      JobState state = s.state() != null ? s.state() : stateOf.apply(s.job());
      List<JobNode> mine = children.get(i);
      java.util.Collections.reverse(mine);
      built[i] = new JobNode(s.job(), state, mine);
      if (parentIndexes.get(i) >= 0) {
        children.get(parentIndexes.get(i)).add(built[i]);
      }
    }
    List<JobNode> roots = new ArrayList<>(rootIndexes.size());
    rootIndexes.forEach(i -> roots.add(built[i]));
    return roots;
  }
}
