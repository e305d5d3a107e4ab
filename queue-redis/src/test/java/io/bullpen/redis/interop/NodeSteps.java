package io.bullpen.redis.interop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.redis.internal.codec.Json;
import java.util.List;

/**
 * Producer operations for {@code interop/node/queue-ops.mjs}, which BullMQ runs in order in one Node process
 * ({@link NodeSide#run(NodeSteps)}). Each method appends one step and returns its index, the {@code step} of the
 * facts it prints.
 */
final class NodeSteps {
  private final ArrayNode steps = Json.MAPPER.createArrayNode();

  /** {@code queue.add} for each job, in order. */
  int add(String queue, List<? extends AddSpec> jobs) {
    ObjectNode step = step("add", queue);
    ArrayNode specs = step.putArray("jobs");
    for (AddSpec job : jobs) {
      ObjectNode spec = specs.addObject();
      spec.put("name", job.name());
      spec.set("data", Json.tree(job.dataJson(), "data"));
      spec.set("opts", Json.tree(job.nodeOptsJson(), "opts"));
    }
    return steps.size() - 1;
  }

  /** A BullMQ Worker (concurrency 1) until {@code settle} jobs completed or failed for good. */
  int work(String queue, int settle) {
    step("work", queue).put("count", settle);
    return steps.size() - 1;
  }

  /** {@code queue.drain(delayed)}. */
  int drain(String queue, boolean delayed) {
    step("drain", queue).put("delayed", delayed);
    return steps.size() - 1;
  }

  /** {@code queue.addJobLog(id, line, keepLogs)}; a null {@code keepLogs} is left out. */
  int addJobLog(String queue, String jobId, String line, Integer keepLogs) {
    ObjectNode step = step("addJobLog", queue).put("id", jobId).put("line", line);
    if (keepLogs != null) {
      step.put("keepLogs", keepLogs);
    }
    return steps.size() - 1;
  }

  /** {@code queue.updateJobProgress(id, progress)} with the progress given as JSON text. */
  int updateJobProgress(String queue, String jobId, String progressJson) {
    step("updateJobProgress", queue).put("id", jobId).set("progress", Json.tree(progressJson, "progress"));
    return steps.size() - 1;
  }

  String json() {
    return steps.toString();
  }

  private ObjectNode step(String op, String queue) {
    return steps.addObject().put("op", op).put("queue", queue);
  }
}
