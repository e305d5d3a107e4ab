package io.bullpen.redis.interop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.JobOptions;
import io.bullpen.FlowNode;
import io.bullpen.redis.internal.codec.Json;
import java.util.List;

/**
 * One flow tree written once and rendered for both sides: as BullMQ's FlowJob JSON for {@code flow-producer.mjs}
 * and as a Bullpen {@link FlowNode}. {@code policy} is a child failure policy by its BullMQ option name, or null.
 */
record FlowSpec(String name, String queue, String id, String policy, ObjectNode data, List<FlowSpec> children,
    int delay, int priority) {
  static final List<String> POLICIES = List.of("failParentOnFailure", "continueParentOnFailure",
      "ignoreDependencyOnFailure", "removeDependencyOnFailure", "none");

  static FlowSpec node(String name, String queue, String id, String policy, ObjectNode data, FlowSpec... children) {
    return new FlowSpec(name, queue, id, policy, data, List.of(children), 0, 0);
  }

  FlowSpec withDelayAndPriority(int delayMillis, int priorityNumber) {
    return new FlowSpec(name, queue, id, policy, data, children, delayMillis, priorityNumber);
  }

  static ObjectNode emptyData() {
    return Json.MAPPER.createObjectNode();
  }

  /** A parent that returns its children's values and ignored failures. */
  static ObjectNode report() {
    return emptyData().put("report", true);
  }

  /**
   * book (qa) <- [part-1 (qb) <- [page-a (qa), page-b (qa, no id: a UUID)], part-2 (qb) <- [page-c (qa)],
   * cover (qb)]: three levels across two queues.
   */
  static FlowSpec book(String qa, String qb) {
    return node("book", qa, "book", null, report(),
        node("part", qb, "part-1", null, report(),
            node("page", qa, "page-a", null, emptyData().put("result", "A")),
            node("page", qa, null, null, emptyData().put("result", "B"))),
        node("part", qb, "part-2", null, report(),
            node("page", qa, "page-c", null, emptyData().put("result", "C"))),
        node("cover", qb, "cover", null, withObjectResult()));
  }

  private static ObjectNode withObjectResult() {
    ObjectNode data = emptyData();
    data.putObject("result").put("art", true).put("pages", 3);
    return data;
  }

  /**
   * gp-X (qa) <- p-X (qb, failParentOnFailure) <- [bad-X (qa, policy X, fails), slow-X (qa)]. slow-X waits until
   * bad-X has failed and p-X has reacted (waiting for children again, or finished), so the policy always acts
   * while a sibling is pending, whatever the timing.
   */
  static FlowSpec policyTree(String policy, String qa, String qb) {
    String x = shortName(policy);
    ObjectNode slow = emptyData().put("result", "slow");
    ArrayNode waitFor = slow.putArray("waitFor");
    ObjectNode badFailed = waitFor.addObject().put("queue", qa).put("id", "bad-" + x);
    badFailed.putArray("states").add("failed");
    ObjectNode parentSettled = waitFor.addObject().put("queue", qb).put("id", "p-" + x);
    parentSettled.putArray("states").add("waiting-children").add("failed").add("completed");
    return node("gp", qa, "gp-" + x, null, report(),
        node("p", qb, "p-" + x, "failParentOnFailure", report(),
            node("bad", qa, "bad-" + x, policy.equals("none") ? null : policy, emptyData().put("fail", "boom bad-" + x)),
            node("slow", qa, "slow-" + x, null, slow)));
  }

  static String shortName(String policy) {
    return switch (policy) {
      case "failParentOnFailure" -> "fpof";
      case "continueParentOnFailure" -> "cpof";
      case "ignoreDependencyOnFailure" -> "idof";
      case "removeDependencyOnFailure" -> "rdof";
      default -> "none";
    };
  }

  /**
   * A plain job "shared" (qa), and adopter (qb, delay 200 ms, priority 2) <- [shared again, fresh (qa)]: the
   * existing job is linked to the new parent, which runs delayed once both children are done.
   */
  static List<FlowSpec> adoption(String qa, String qb) {
    return List.of(node("solo", qa, "shared", null, emptyData().put("result", "solo")),
        node("adopter", qb, "adopter", null, report(),
            node("again", qa, "shared", null, emptyData().put("result", "ignored: the job exists")),
            node("fresh", qa, "fresh", null, emptyData().put("result", "F"))).withDelayAndPriority(200, 2));
  }

  /** The trees of one interop scenario: the book, one tree per policy, and the adoption of an existing job. */
  static List<FlowSpec> scenario(String qa, String qb) {
    List<FlowSpec> trees = new java.util.ArrayList<>();
    trees.add(book(qa, qb));
    POLICIES.forEach(p -> trees.add(policyTree(p, qa, qb)));
    trees.addAll(adoption(qa, qb));
    return trees;
  }

  /** BullMQ's FlowJob JSON. */
  ObjectNode toNode() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("name", name);
    node.put("queueName", queue);
    node.set("data", data);
    ObjectNode opts = node.putObject("opts");
    if (id != null) {
      opts.put("jobId", id);
    }
    if (policy != null) {
      opts.put(policy, true);
    }
    if (delay > 0) {
      opts.put("delay", delay);
    }
    if (priority > 0) {
      opts.put("priority", priority);
    }
    if (!children.isEmpty()) {
      ArrayNode array = node.putArray("children");
      children.forEach(child -> array.add(child.toNode()));
    }
    return node;
  }

  /** Bullpen's FlowNode; data goes as a JSON tree so Jackson writes it the way JSON.stringify does. */
  FlowNode toJava() {
    JobOptions.Builder options = JobOptions.builder();
    if (id != null) {
      options.jobId(id);
    }
    if (policy != null) {
      switch (policy) {
        case "failParentOnFailure" -> options.failParentOnFailure(true);
        case "continueParentOnFailure" -> options.continueParentOnFailure(true);
        case "ignoreDependencyOnFailure" -> options.ignoreDependencyOnFailure(true);
        case "removeDependencyOnFailure" -> options.removeDependencyOnFailure(true);
        default -> throw new IllegalArgumentException(policy);
      }
    }
    if (delay > 0) {
      options.delay(delay);
    }
    if (priority > 0) {
      options.priority(priority);
    }
    FlowNode.Builder b = FlowNode.builder(name, queue).data(data).options(options.build());
    children.forEach(child -> b.child(child.toJava()));
    return b.build();
  }

  /** Every job id given in this tree (nodes without one excluded). */
  List<String> ids() {
    List<String> out = new java.util.ArrayList<>();
    if (id != null) {
      out.add(id);
    }
    children.forEach(child -> out.addAll(child.ids()));
    return out;
  }
}
