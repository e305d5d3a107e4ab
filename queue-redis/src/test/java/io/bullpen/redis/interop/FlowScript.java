package io.bullpen.redis.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.Processor;
import io.bullpen.redis.Queue;
import io.bullpen.redis.internal.codec.Json;
import java.util.Map;
import java.util.function.Function;

/**
 * Bullpen's twin of {@code flow-worker.mjs}'s processor, driven by the same job data: {@code waitFor} (wait until
 * other jobs are in given states), {@code fail} (throw), {@code report} (return the children's values, parsed,
 * and the ignored failures), else {@code result}.
 */
final class FlowScript implements Processor {
  private final Function<String, Queue> queues;

  FlowScript(Function<String, Queue> queues) {
    this.queues = queues;
  }

  @Override
  public Object process(Job job) throws Exception {
    JsonNode data = Json.MAPPER.readTree(job.dataJson());
    for (JsonNode target : data.path("waitFor")) {
      awaitState(target);
    }
    if (data.hasNonNull("fail")) {
      throw new IllegalStateException(data.get("fail").asText());
    }
    if (data.path("report").asBoolean(false)) {
      ObjectNode report = Json.MAPPER.createObjectNode();
      ObjectNode values = report.putObject("values");
      for (Map.Entry<String, String> e : job.getChildrenValues().entrySet()) {
        values.set(e.getKey(), Json.MAPPER.readTree(e.getValue()));
      }
      ObjectNode ignored = report.putObject("ignored");
      job.getFailedChildrenValues().forEach(ignored::put);
      return report;
    }
    return data.has("result") ? data.get("result") : null;
  }

  private void awaitState(JsonNode target) throws InterruptedException {
    Queue queue = queues.apply(target.get("queue").asText());
    String id = target.get("id").asText();
    long until = System.currentTimeMillis() + 15_000;
    while (true) {
      JobState state = queue.getJobState(id);
      for (JsonNode wanted : target.get("states")) {
        if (state.wireName().equals(wanted.asText())) {
          return;
        }
      }
      if (System.currentTimeMillis() > until) {
        throw new IllegalStateException("gave up waiting for " + id + " to be in " + target.get("states"));
      }
      Thread.sleep(20);
    }
  }
}
