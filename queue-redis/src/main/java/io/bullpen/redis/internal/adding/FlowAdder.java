package io.bullpen.redis.internal.adding;

import io.bullpen.BullpenException;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.JobParent;
import io.bullpen.JobState;
import io.bullpen.JobStateException;
import io.bullpen.redis.internal.codec.OptionsCodec;
import io.bullpen.redis.internal.job.JobBackend;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.script.ScriptErrors;
import io.bullpen.redis.internal.script.ScriptRunner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Stores jobs linked to parents with the {@code addFlow} script, in one atomic call: the nodes of flow trees (in
 * any queues, parents first) and jobs added under an existing parent. Either every node is stored or, when a
 * parent is missing or a job would change parent, none is.
 */
public final class FlowAdder {
  private static final int VALUES_PER_NODE = 13;

  private final ScriptRunner runner;
  private final Clock clock;
  private final Function<QueueKeys, JobBackend> backends;

  /**
   * A child's link to its parent: the parent's full key, the child's {@code parent} field, and whether the parent
   * is a node of the same call (else it must exist already).
   */
  public record Link(JobParent parent, String parentJson, boolean inCall) {
    public static Link toExisting(JobParent parent, JobOptions childOptions) {
      return new Link(parent, OptionsCodec.parentFieldJson(parent, childOptions), false);
    }

    public static Link toTreeNode(JobParent parent, JobOptions childOptions) {
      return new Link(parent, OptionsCodec.parentFieldJson(parent, childOptions), true);
    }
  }

  /** One job to store: its queue, its id (null for the queue's counter), its fields, and its links. */
  public record Node(QueueKeys queue, String jobId, JobAdder.Prepared job, boolean hasChildren, Link link) {}

  /** A node as the call left it: stored (with where it went) or an existing job of that id (now linked). */
  public record Stored(RedisJob job, boolean duplicate, JobState state) {}

  /** @param backends the backend the returned jobs of a queue act through */
  public FlowAdder(ScriptRunner runner, Clock clock, Function<QueueKeys, JobBackend> backends) {
    this.runner = runner;
    this.clock = clock;
    this.backends = backends;
  }

  /** Stores {@code nodes} in order (a parent before its children) in one script call. */
  public CompletableFuture<List<Stored>> add(List<Node> nodes) {
    if (nodes.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    Set<String> metaKeys = new LinkedHashSet<>();
    List<String> args = new ArrayList<>(2 + nodes.size() * VALUES_PER_NODE);
    args.add(Long.toString(clock.millis()));
    args.add(Integer.toString(nodes.size()));
    for (Node node : nodes) {
      Map<String, String> fields = node.job().fields();
      metaKeys.add(node.queue().meta());
      args.add(node.queue().keyPrefix());
      args.add(node.jobId() == null ? "" : node.jobId());
      args.add(fields.get("name"));
      args.add(fields.get("timestamp"));
      args.add(fields.get("data"));
      args.add(fields.get("opts"));
      args.add(fields.get("delay"));
      args.add(fields.get("priority"));
      args.add(node.job().options().lifo() ? "1" : "0");
      args.add(node.hasChildren() ? "1" : "0");
      if (node.link() == null) {
        args.add("");
        args.add("");
        args.add("");
      } else {
        args.add(node.link().parent().key());
        args.add(node.link().parentJson());
        args.add(node.link().inCall() ? "tree" : "existing");
        QueueKeys.parseJobKey(node.link().parent().key()).ifPresent(ref -> metaKeys.add(ref.queue().meta()));
      }
    }
    return runner.run(Script.ADD_FLOW, new ArrayList<>(metaKeys), args).thenApply(reply -> stored(reply, nodes));
  }

  private List<Stored> stored(Object reply, List<Node> nodes) {
    List<Object> entries = QueueScripts.list(reply, "addFlow");
    if (!entries.isEmpty() && entries.get(0) instanceof Long code) {
      throw rejection(code, nodes.get((int) QueueScripts.number(entries.get(1), "addFlow") - 1));
    }
    if (entries.size() != nodes.size()) {
      throw new BullpenException("addFlow answered " + entries.size() + " entries for " + nodes.size() + " jobs");
    }
    List<Stored> stored = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      Node node = nodes.get(i);
      List<Object> entry = QueueScripts.list(entries.get(i), "addFlow");
      String id = String.valueOf(entry.get(0));
      boolean duplicate = QueueScripts.number(entry.get(1), "addFlow") == 1;
      Map<String, String> fields;
      JobState state;
      if (duplicate) {
        fields = RedisJob.fieldsFromFlatList(entry.subList(2, entry.size()));
        state = null;
      } else {
        fields = new LinkedHashMap<>(node.job().fields());
        if (node.link() != null) {
          fields.put("parentKey", node.link().parent().key());
          fields.put("parent", node.link().parentJson());
        }
        state = JobState.fromWireName(String.valueOf(entry.get(2)));
      }
      RedisJob job = new RedisJob(id, node.queue().queueName(), fields, backends.apply(node.queue()), null);
      stored.add(new Stored(job, duplicate, state));
    }
    return stored;
  }

  private static RuntimeException rejection(long code, Node node) {
    String queue = node.queue().queueName();
    if (code == ScriptErrors.PARENT_NOT_FOUND && node.link() != null) {
      JobParent parent = node.link().parent();
      String parentQueue = QueueKeys.parseJobKey(parent.key()).map(ref -> ref.queue().queueName())
          .orElse(parent.queue());
      return new JobNotFoundException(parentQueue, parent.id(), "add child "
          + (node.jobId() == null ? node.job().fields().get("name") : node.jobId()) + " of queue " + queue
          + " (nothing was added)");
    }
    if (code == ScriptErrors.OTHER_PARENT) {
      return new JobStateException(queue, node.jobId(), "exists with another parent that still exists, so it "
          + "cannot become a child of " + node.link().parent().key() + " (nothing was added)");
    }
    return ScriptErrors.toException(code, queue, String.valueOf(node.jobId()), "addFlow");
  }
}
