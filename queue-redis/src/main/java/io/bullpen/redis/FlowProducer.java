package io.bullpen.redis;

import io.bullpen.FlowNode;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobNode;
import io.bullpen.JobState;
import io.bullpen.redis.internal.adding.FlowAdder;
import io.bullpen.redis.internal.adding.FlowPlan;
import io.bullpen.redis.internal.codec.Payloads;
import io.bullpen.redis.internal.reading.FlowReader;
import io.bullpen.redis.internal.job.JobBackend;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.connection.ConnectionScope;
import io.bullpen.redis.internal.job.ListeningJobBackend;
import io.bullpen.redis.internal.job.QueueListeners;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.job.RedisJobBackend;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.OpenState;
import io.bullpen.redis.internal.script.ScriptRunner;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds flows (BullMQ's {@code FlowProducer}): trees of jobs in which a parent runs only once all its children
 * have finished, with their results at hand ({@link io.bullpen.Job#getChildrenValues()}). Children may live in
 * other queues. Each tree is stored in one atomic script call, all of it or, when a check fails, none of it, in
 * BullMQ 6's layout, so Node and Java workers can process any of its jobs. That call holds Redis while it runs, so
 * a flow may have at most {@link FlowProducerOptions#maxFlowSize()} jobs (1,000 by default, about 35 ms).
 *
 * <pre>{@code
 * try (FlowProducer flows = new FlowProducer(FlowProducerOptions.of(RedisConfig.of("redis://127.0.0.1:6379")))) {
 *   JobNode book = flows.add(FlowNode.builder("assemble", "books")
 *       .child(FlowNode.of("render", "chapters", new Chapter(1)))
 *       .child(FlowNode.of("render", "chapters", new Chapter(2)))
 *       .build());
 * }
 * }</pre>
 *
 * <p>A parent waits in {@code waiting-children} until every child has settled, then goes to wait, prioritized or
 * delayed by its own options. What a child's final failure does to its parent is chosen in the child's options
 * ({@code failParentOnFailure}, {@code continueParentOnFailure}, {@code ignoreDependencyOnFailure},
 * {@code removeDependencyOnFailure}; by default the parent keeps waiting).
 *
 * <p>Every call that talks to Redis has a blocking form and an {@code …Async} form returning a
 * {@link CompletableFuture} that fails with the same exceptions.
 *
 * <p>Thread-safe. Uses one Redis connection: its own, closed by {@link #close()}, or its
 * {@link RedisConnector}'s. Every key a flow touches derives from its queues' prefixes, so on a Redis Cluster all
 * queues of one flow need one hash tag (e.g. the prefix {@code {flows}}); a flow whose queues span slots is refused
 * before anything is written.
 */
public final class FlowProducer implements AutoCloseable {
  /** BullMQ's default depth of {@link #getFlow(String, String)}: levels read, the root counting as one. */
  public static final int DEFAULT_DEPTH = 10;
  /** BullMQ's default number of children read per node and kind by {@link #getFlow(String, String)}. */
  public static final int DEFAULT_MAX_CHILDREN = 20;

  private final FlowProducerOptions options;
  private final ConnectionScope connections;
  private final ScriptRunner runner;
  private final long timeoutMillis;
  private final Map<String, JobBackend> backends = new ConcurrentHashMap<>();
  private final FlowAdder adder;
  private final FlowReader reader;
  private final OpenState open;
  private final Payloads payloads;

  /**
   * Connects to Redis. Unlike {@link Queue} it writes no queue meta.
   *
   * @throws io.bullpen.QueueConnectionException when Redis cannot be reached
   */
  public FlowProducer(FlowProducerOptions options) {
    if (options == null) {
      throw new InvalidOptionException("options", null, "FlowProducerOptions are required");
    }
    this.options = options;
    this.open = new OpenState("FlowProducer (prefix " + options.prefix() + ")");
    this.payloads = Payloads.of(options.redis().maxPayloadBytes());
    this.connections = RedisConnector.scope(options.connector().orElse(null), options.redis());
    try {
      this.runner = new ScriptRunner(connections.commands());
    } catch (RuntimeException e) {
      connections.close();
      throw e;
    }
    this.timeoutMillis = options.redis().commandTimeout().toMillis();
    this.adder = new FlowAdder(runner, options.clock(), this::backend);
    this.reader = new FlowReader(runner, timeoutMillis, this::backend);
  }

  public FlowProducerOptions options() {
    return options;
  }

  /**
   * Adds one tree in one atomic call and returns it as stored, each node with its id and state. A node whose
   * custom id exists already is not replaced (a {@code duplicated} event is emitted): it is linked to its parent
   * in the tree, and counts as processed if it completed already.
   *
   * @throws InvalidOptionException for a bad node, or more jobs than {@link FlowProducerOptions#maxFlowSize()}
   *     (nothing is sent)
   * @throws io.bullpen.JobNotFoundException when the root names a parent that does not exist (nothing is added)
   * @throws io.bullpen.JobStateException when a node's custom id belongs to a job of another parent that still
   *     exists (nothing is added)
   */
  public JobNode add(FlowNode flow) {
    return addCall(flow).join();
  }

  /** As {@link #add}, without blocking. */
  public CompletableFuture<JobNode> addAsync(FlowNode flow) {
    return addCall(flow).async();
  }

  private Call<JobNode> addCall(FlowNode flow) {
    if (flow == null) {
      throw new InvalidOptionException("flow", null, "must not be null");
    }
    open.check();
    return open.guard(store(List.of(flow)).map(nodes -> nodes.get(0)));
  }

  /**
   * Adds several trees in one atomic call: all of them or none; at most {@link FlowProducerOptions#maxFlowSize()}
   * jobs in all. Returns them in the order given.
   */
  public List<JobNode> addBulk(List<FlowNode> flows) {
    return addBulkCall(flows).join();
  }

  /** As {@link #addBulk}, without blocking. */
  public CompletableFuture<List<JobNode>> addBulkAsync(List<FlowNode> flows) {
    return addBulkCall(flows).async();
  }

  private Call<List<JobNode>> addBulkCall(List<FlowNode> flows) {
    if (flows == null) {
      throw new InvalidOptionException("flows", null, "must not be null");
    }
    open.check();
    return open.guard(store(new ArrayList<>(flows)));
  }

  /** {@link #getFlow(String, String, int, int)} with BullMQ's defaults (depth 10, 20 children per kind). */
  public Optional<JobNode> getFlow(String queueName, String jobId) {
    return read(options.prefix(), queueName, jobId, DEFAULT_DEPTH, DEFAULT_MAX_CHILDREN).join();
  }

  /** As {@link #getFlow(String, String)}, without blocking. */
  public CompletableFuture<Optional<JobNode>> getFlowAsync(String queueName, String jobId) {
    return read(options.prefix(), queueName, jobId, DEFAULT_DEPTH, DEFAULT_MAX_CHILDREN).async();
  }

  /**
   * The tree below the job {@code jobId} of {@code queueName} (under this producer's prefix), read in one
   * consistent step with every node's state: {@code depth} levels (1 = the job alone), at most
   * {@code maxChildren} children per node of each kind (processed, pending, failed, ignored). Empty when the
   * job does not exist.
   */
  public Optional<JobNode> getFlow(String queueName, String jobId, int depth, int maxChildren) {
    return read(options.prefix(), queueName, jobId, depth, maxChildren).join();
  }

  /** As {@link #getFlow(String, String, int, int)}, without blocking. */
  public CompletableFuture<Optional<JobNode>> getFlowAsync(String queueName, String jobId, int depth,
      int maxChildren) {
    return read(options.prefix(), queueName, jobId, depth, maxChildren).async();
  }

  /** As {@link #getFlow(String, String, int, int)} for a queue under another prefix. */
  public Optional<JobNode> getFlow(String prefix, String queueName, String jobId, int depth, int maxChildren) {
    return read(prefix, queueName, jobId, depth, maxChildren).join();
  }

  /** As {@link #getFlow(String, String, String, int, int)}, without blocking. */
  public CompletableFuture<Optional<JobNode>> getFlowAsync(String prefix, String queueName, String jobId, int depth,
      int maxChildren) {
    return read(prefix, queueName, jobId, depth, maxChildren).async();
  }

  private Call<Optional<JobNode>> read(String prefix, String queueName, String jobId, int depth, int maxChildren) {
    open.check();
    return open.guard(reader.read(new QueueKeys(prefix, queueName), jobId, depth, maxChildren));
  }

  /**
   * One addFlow call, then the states of nodes that existed already (one pipelined round trip), since the script
   * answers where new nodes went but not where an existing job is.
   */
  private Call<List<JobNode>> store(List<FlowNode> flows) {
    if (flows.isEmpty()) {
      return Call.of("addFlow", timeoutMillis, () -> CompletableFuture.completedFuture(List.<JobNode>of()));
    }
    FlowPlan plan = FlowPlan.of(flows, options.prefix(), options.clock().millis(), payloads);
    if (connections.isCluster()) {
      plan.requireOneSlot();
    }
    if (plan.nodes().size() > options.maxFlowSize()) {
      throw new InvalidOptionException(flows.size() == 1 ? "flow" : "flows", plan.nodes().size() + " jobs",
          "is more than maxFlowSize " + options.maxFlowSize() + ": a flow is stored in one atomic script call, "
          + "which holds Redis for about 35 µs per job; split it, or raise FlowProducerOptions.maxFlowSize");
    }
    String routing = plan.nodes().get(0).queue().meta();
    return Call.of("addFlow of " + plan.nodes().size() + " job(s)",
        2 * timeoutMillis + ReplicaWait.boundMillis(options.redis()),
        () -> ReplicaWait.after(adder.add(plan.nodes()), connections, routing).thenCompose(stored -> {
          Map<RedisJob, CompletableFuture<JobState>> states = new IdentityHashMap<>();
          for (FlowAdder.Stored s : stored) {
            if (s.state() == null) {
              states.put(s.job(), s.job().stateAsync());
            }
          }
          return CompletableFuture.allOf(states.values().toArray(CompletableFuture[]::new))
              .thenApply(read -> plan.assemble(stored, job -> states.get(job).join()));
        }));
  }

  private JobBackend backend(QueueKeys queue) {
    return backends.computeIfAbsent(queue.qualifiedName(),
        name -> new ListeningJobBackend(new RedisJobBackend(queue, runner, timeoutMillis, options.clock(), payloads),
            new QueueListeners(queue.queueName()), open));
  }

  /** Closes the Redis connection; jobs this producer returned can no longer act. Calling it again does nothing. */
  @Override
  public void close() {
    if (open.close()) {
      connections.close();
    }
  }

  @Override
  public String toString() {
    return "FlowProducer{prefix=" + options.prefix() + "}";
  }
}
