package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.testkit.NodeBullmq;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real {@code bullmq@6.7.0} from npm, driven through the scripts in {@code interop/node}. Each method runs one
 * script to completion and returns what it printed; the scripts have their own deadlines, the timeout here is
 * only a safety net.
 */
final class NodeSide {
  private static final NodeBullmq NODE = new NodeBullmq();
  private static final Duration SAFETY_NET = Duration.ofSeconds(45);
  private static final String WHY_UNAVAILABLE = "BullMQ interop tests need Node.js on the PATH and bullmq@6.7.0 "
      + "installed (npm install) in "
      + NODE.directory().map(Object::toString).orElse("interop/node (not found above the working directory)");

  private final RunningRedis redis;
  private final String prefix;

  NodeSide(RunningRedis redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  /**
   * Whether Node.js with the bullmq package can be used here. With {@code BULLPEN_REQUIRE_NODE=1} (as in CI) a
   * missing Node fails instead, so a build cannot pass by skipping the interop tests.
   */
  static boolean available() {
    boolean available = NODE.isAvailable();
    if (!available && "1".equals(System.getenv("BULLPEN_REQUIRE_NODE"))) {
      throw new AssertionError(WHY_UNAVAILABLE + ", and BULLPEN_REQUIRE_NODE=1 forbids skipping them");
    }
    return available;
  }

  /** Skips the calling test, saying why, when {@link #available()} is false. */
  static void assumeAvailable() {
    assumeTrue(available(), () -> "Skipped: " + WHY_UNAVAILABLE);
  }

  /** Adds the jobs, in order, with one {@code queue.add} each; returns the ids BullMQ gave them. */
  NodeFacts produce(String queue, List<? extends AddSpec> jobs) {
    return produce(queue, jobs, false);
  }

  /** Adds the jobs in order, with one {@code queue.addBulk} call when {@code bulk}, else one add each. */
  NodeFacts produce(String queue, List<? extends AddSpec> jobs, boolean bulk) {
    ArrayNode specs = Json.MAPPER.createArrayNode();
    for (AddSpec job : jobs) {
      ObjectNode spec = specs.addObject();
      spec.put("name", job.name());
      spec.set("data", Json.tree(job.dataJson(), "data"));
      spec.set("opts", Json.tree(job.nodeOptsJson(), "opts"));
    }
    return run("producer.mjs", queue, Map.of("JOBS", specs.toString(), "BULK", String.valueOf(bulk)));
  }

  /** Runs a BullMQ worker (concurrency 1) until {@code settle} jobs completed or finally failed. */
  NodeFacts work(String queue, int settle) {
    return run("worker.mjs", queue, Map.of("COUNT", String.valueOf(settle), "CONCURRENCY", "1"));
  }

  /**
   * Replays the queue's event stream from its start through BullMQ's QueueEvents until {@code finished}
   * completed/failed events were seen (or 10 s passed).
   */
  NodeFacts listen(String queue, int finished) {
    return run("events.mjs", queue, Map.of("LAST_EVENT_ID", "0", "UNTIL", String.valueOf(finished), "SECONDS", "10"));
  }

  /** Reads the jobs with {@code queue.getJob}/{@code getJobState}, then {@code getJobCounts}. */
  NodeFacts read(String queue, Collection<String> ids) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    ids.forEach(array::add);
    return run("reader.mjs", queue, Map.of("IDS", array.toString()));
  }

  /**
   * BullMQ's view of a queue (describe-queue.mjs): getters per id, counts, and the event stream replayed through
   * QueueEvents, grouped by job.
   */
  NodeFacts describe(String queue, Collection<String> ids) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    ids.forEach(array::add);
    return run("describe-queue.mjs", queue, Map.of("IDS", array.toString()));
  }

  /** Adds the trees (BullMQ FlowJob JSON) with one {@code FlowProducer.addBulk}; facts hold the ids given. */
  NodeFacts addFlows(ArrayNode flows) {
    return run("flow-producer.mjs", null, Map.of("FLOWS", flows.toString()));
  }

  /** Runs one BullMQ worker per queue (each with concurrency 16) until all of them have been idle a while. */
  NodeFacts workFlows(List<String> queues) {
    ArrayNode names = Json.MAPPER.createArrayNode();
    queues.forEach(names::add);
    return run("flow-worker.mjs", null, Map.of("QUEUES", names.toString()));
  }

  /** Runs the steps, in order, with queue-ops.mjs in one Node process; facts carry their step's index. */
  NodeFacts run(NodeSteps steps) {
    return run("queue-ops.mjs", null, Map.of("STEPS", steps.json()));
  }

  private NodeFacts run(String script, String queue, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("REDIS_URL", redis.uri());
    if (queue != null) {
      env.put("QUEUE", queue);
    }
    env.put("PREFIX", prefix);
    return NodeFacts.parse(script, NODE.run(script, env, SAFETY_NET));
  }
}
