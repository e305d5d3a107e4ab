package io.bullpen;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One job of a flow tree for {@code FlowProducer.add}: its name, queue, data and options, and the children it
 * waits for. Children may live in any queue (and under another prefix). Immutable; validated when built.
 *
 * <pre>{@code
 * FlowNode book = FlowNode.builder("assemble", "books").data(new Book("Dune"))
 *     .child(FlowNode.builder("render", "chapters").data(new Chapter(1)).build())
 *     .child(FlowNode.builder("render", "chapters").data(new Chapter(2)).build())
 *     .build();
 * }</pre>
 *
 * <p>A node without a custom {@code jobId} gets a random UUID, as in BullMQ 6. Only the root may carry a
 * {@code parent} option (to hang the whole tree under an existing job); the tree sets the others. A child's
 * failure policy ({@code failParentOnFailure}, ...) goes in its own options.
 */
public final class FlowNode {
  private final String name;
  private final String queueName;
  private final String prefix;
  private final Object data;
  private final JobOptions options;
  private final List<FlowNode> children;

  private FlowNode(Builder b) {
    this.name = b.name;
    this.queueName = b.queueName;
    this.prefix = b.prefix;
    this.data = b.data;
    this.options = b.options;
    this.children = List.copyOf(b.children);
  }

  /** A node named {@code name} for the queue {@code queueName}. */
  public static Builder builder(String name, String queueName) {
    return new Builder(name, queueName);
  }

  /** A leaf node with data and default options. */
  public static FlowNode of(String name, String queueName, Object data) {
    return builder(name, queueName).data(data).build();
  }

  public String name() {
    return name;
  }

  public String queueName() {
    return queueName;
  }

  /** The node's own key prefix; empty means the producer's. */
  public Optional<String> prefix() {
    return Optional.ofNullable(prefix);
  }

  /** The job data (any Jackson-serialisable value, {@code RawJson}, or null for {@code {}}). */
  public Object data() {
    return data;
  }

  public JobOptions options() {
    return options;
  }

  public List<FlowNode> children() {
    return children;
  }

  @Override
  public String toString() {
    return "FlowNode{" + queueName + "/" + name + (children.isEmpty() ? "" : ", " + children.size() + " children")
        + "}";
  }

  /** Builds a {@link FlowNode}; every setter validates at once. */
  public static final class Builder {
    private final String name;
    private final String queueName;
    private String prefix;
    private Object data;
    private JobOptions options = JobOptions.defaults();
    private final List<FlowNode> children = new ArrayList<>();

    private Builder(String name, String queueName) {
      if (name == null) {
        throw new InvalidOptionException("name", null, "a job name is required");
      }
      this.name = name;
      this.queueName = QueueNames.requireValidName(queueName);
    }

    public Builder data(Object data) {
      this.data = data;
      return this;
    }

    public Builder options(JobOptions options) {
      if (options == null) {
        throw new InvalidOptionException("options", null, "must not be null (use JobOptions.defaults())");
      }
      this.options = options;
      return this;
    }

    /** Puts this node's job under another key prefix than the producer's (all of a flow's prefixes must be in one Redis Cluster slot). */
    public Builder prefix(String prefix) {
      this.prefix = QueueNames.requireValidPrefix(prefix);
      return this;
    }

    public Builder child(FlowNode child) {
      if (child == null) {
        throw new InvalidOptionException("child", null, "must not be null");
      }
      children.add(child);
      return this;
    }

    public Builder children(List<FlowNode> children) {
      if (children == null) {
        throw new InvalidOptionException("children", null, "must not be null");
      }
      children.forEach(this::child);
      return this;
    }

    public FlowNode build() {
      return new FlowNode(this);
    }
  }
}
