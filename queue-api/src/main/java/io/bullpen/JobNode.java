package io.bullpen;

import java.util.List;

/**
 * A job of a flow with its children, as {@code FlowProducer.add} stored it or {@code FlowProducer.getFlow} read
 * it. {@code state} is where the job was at that moment.
 */
public record JobNode(Job job, JobState state, List<JobNode> children) {
  public JobNode {
    children = List.copyOf(children);
  }

  /** This node and every node below it, parents before children. */
  public List<JobNode> flatten() {
    List<JobNode> out = new java.util.ArrayList<>();
    java.util.ArrayDeque<JobNode> pending = new java.util.ArrayDeque<>(List.of(this));
    while (!pending.isEmpty()) {
      JobNode node = pending.poll();
      out.add(node);
      pending.addAll(node.children);
    }
    return out;
  }
}
