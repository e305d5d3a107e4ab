package io.bullpen.redis.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.internal.codec.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** Compares what Bullpen's getters and BullMQ's getters (via reader.mjs) report for the same job or queue. */
final class JobViews {
  /** The short opts keys BullMQ's getters translate back to option names; the rest are stored as named. */
  private static final Map<String, String> LONG_NAMES = Map.of(
      "kl", "keepLogs", "fpof", "failParentOnFailure", "cpof", "continueParentOnFailure",
      "idof", "ignoreDependencyOnFailure", "rdof", "removeDependencyOnFailure", "de", "deduplication",
      "tm", "telemetryMetadata", "omc", "omitContext");

  private JobViews() {}

  /** Differences between Bullpen's getters on {@code queue} and reader.mjs's facts, for the jobs and the counts. */
  static List<String> differences(Queue queue, Collection<String> ids, NodeFacts read) {
    List<String> diffs = new ArrayList<>();
    for (String id : ids) {
      Optional<Job> job = queue.getJob(id);
      JsonNode fact = read.job(id);
      if (job.isEmpty() || !fact.path("exists").asBoolean()) {
        if (job.isPresent() || fact.path("exists").asBoolean()) {
          diffs.add("job " + id + ": Bullpen reads " + job + ", BullMQ reads " + fact);
        }
        compare(diffs, id, "state", queue.getJobState(id).wireName(), fact.path("state").asText());
        continue;
      }
      diffs.addAll(differences(job.get(), queue.getJobState(id), fact));
    }
    diffs.addAll(countDifferences(queue.getJobCounts(), read.single("counts").path("counts")));
    return diffs;
  }

  /** Every field on which Bullpen's view of a job differs from BullMQ's, as readable lines; empty when none. */
  static List<String> differences(Job java, JobState javaState, JsonNode node) {
    List<String> diffs = new ArrayList<>();
    String id = java.id();
    compare(diffs, id, "id", java.id(), node.path("id").asText());
    compare(diffs, id, "state", javaState.wireName(), node.path("state").asText());
    compare(diffs, id, "name", java.name(), node.path("name").asText());
    compare(diffs, id, "data", Json.tree(java.dataJson(), "data"), node.path("data"));
    compare(diffs, id, "opts", withLongNames(java.optionsJson()), node.path("opts"));
    compare(diffs, id, "attemptsMade", java.attemptsMade(), node.path("attemptsMade").asInt(-1));
    compare(diffs, id, "attemptsStarted", java.attemptsStarted(), node.path("attemptsStarted").asInt(-1));
    compare(diffs, id, "returnvalue",
        java.returnValueJson().map(v -> Json.tree(v, "returnvalue")).orElse(Json.MAPPER.nullNode()),
        node.path("returnvalue"));
    compare(diffs, id, "failedReason", java.failedReason().orElse(null), textOrNull(node.path("failedReason")));
    List<String> nodeStack = new ArrayList<>();
    node.path("stacktrace").forEach(line -> nodeStack.add(line.asText()));
    compare(diffs, id, "stacktrace", java.stacktrace(), nodeStack);
    compare(diffs, id, "progress", Json.tree(java.progressJson(), "progress"), node.path("progress"));
    compare(diffs, id, "timestamp", java.timestamp(), node.path("timestamp").asLong(-1));
    compare(diffs, id, "processedOn", boxed(java.processedOn()), longOrNull(node.path("processedOn")));
    compare(diffs, id, "finishedOn", boxed(java.finishedOn()), longOrNull(node.path("finishedOn")));
    compare(diffs, id, "delay", java.delay(), node.path("delay").asLong(-1));
    compare(diffs, id, "priority", java.priority(), node.path("priority").asInt(-1));
    return diffs;
  }

  /** Differences between Bullpen's counts and the {@code counts} fact of reader.mjs, for BullMQ's states. */
  static List<String> countDifferences(Map<JobState, Long> java, JsonNode nodeCounts) {
    List<String> diffs = new ArrayList<>();
    nodeCounts.fields().forEachRemaining(entry -> {
      JobState state = JobState.fromWireName(entry.getKey());
      compare(diffs, "counts", entry.getKey(), java.getOrDefault(state, -1L), entry.getValue().asLong());
    });
    return diffs;
  }

  /** Stored opts JSON as BullMQ's getters present it: short keys turned back into option names. */
  static ObjectNode withLongNames(String optsJson) {
    ObjectNode stored = (ObjectNode) Json.tree(optsJson, "opts");
    ObjectNode renamed = Json.MAPPER.createObjectNode();
    stored.fields().forEachRemaining(e -> renamed.set(LONG_NAMES.getOrDefault(e.getKey(), e.getKey()), e.getValue()));
    return renamed;
  }

  private static void compare(List<String> diffs, String id, String field, Object java, Object node) {
    if (!Objects.equals(java, node)) {
      diffs.add("job " + id + " " + field + ": Bullpen " + java + " vs BullMQ " + node);
    }
  }

  private static String textOrNull(JsonNode node) {
    return node.isNull() || node.isMissingNode() ? null : node.asText();
  }

  private static Long longOrNull(JsonNode node) {
    return node.isNull() || node.isMissingNode() ? null : node.asLong();
  }

  private static Long boxed(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }
}
