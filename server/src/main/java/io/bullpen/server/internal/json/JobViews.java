package io.bullpen.server.internal.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.Job;
import io.bullpen.JobDependencies;
import io.bullpen.JobLogs;
import io.bullpen.JobState;
import io.bullpen.LeaseResult;
import java.util.Map;

/** Jobs as the API shows them: a summary for lists, the whole job for its own page. */
public final class JobViews {
  private JobViews() {}

  /** Id, name, times, attempts, progress, priority and the latest failure: what a list row shows. */
  public static ObjectNode summary(Job job, JobState state) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", job.id());
    node.put("name", job.name());
    if (state != null) {
      node.put("state", state.wireName());
    }
    node.put("timestamp", job.timestamp());
    job.processedOn().ifPresent(t -> node.put("processedOn", t));
    job.finishedOn().ifPresent(t -> node.put("finishedOn", t));
    node.put("delay", job.delay());
    node.put("priority", job.priority());
    node.put("attemptsMade", job.attemptsMade());
    node.set("progress", Json.parseStored(job.progressJson()));
    job.failedReason().ifPresent(r -> node.put("failedReason", r));
    return node;
  }

  /** The summary with the data and the options as stored (BullMQ's short names), for claimed jobs. */
  public static ObjectNode withPayload(Job job, JobState state) {
    ObjectNode node = summary(job, state);
    node.set("data", Json.parseStored(job.dataJson()));
    node.set("options", Json.parseStored(job.optionsJson()));
    node.put("attemptsStarted", job.attemptsStarted());
    return node;
  }

  /** Everything: data, options, progress, logs, result, failure with stack traces, parent and children. */
  public static ObjectNode detail(Job job, JobState state, JobLogs logs, JobDependencies children) {
    ObjectNode node = withPayload(job, state);
    node.put("stalledCounter", job.stalledCounter());
    job.processedBy().ifPresent(w -> node.put("processedBy", w));
    job.returnValueJson().ifPresent(v -> node.set("returnValue", Json.parseStored(v)));
    ArrayNode traces = node.putArray("stacktrace");
    job.stacktrace().forEach(traces::add);
    job.repeatJobKey().ifPresent(k -> node.put("repeatJobKey", k));
    job.parent().ifPresent(p -> {
      ObjectNode parent = node.putObject("parent");
      parent.put("id", p.id());
      parent.put("queue", p.queue());
    });
    ObjectNode log = node.putObject("logs");
    log.put("count", logs.count());
    ArrayNode lines = log.putArray("lines");
    logs.lines().forEach(lines::add);
    ObjectNode kids = node.putObject("children");
    kids.set("processed", values(children.processed()));
    ArrayNode pending = kids.putArray("pending");
    children.pending().forEach(pending::add);
    ArrayNode failed = kids.putArray("failed");
    children.failed().forEach(failed::add);
    ObjectNode ignored = kids.putObject("ignored");
    children.ignored().forEach(ignored::put);
    return node;
  }

  private static ObjectNode values(Map<String, String> byKey) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    byKey.forEach((key, value) -> node.set(key, Json.parseStored(value)));
    return node;
  }

  /** What a lease call did: {@code {"done":[ids], "refused":{id: reason}}}. */
  public static ObjectNode leaseResult(LeaseResult result) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    ArrayNode done = node.putArray("done");
    result.done().forEach(done::add);
    ObjectNode refused = node.putObject("refused");
    result.refused().forEach((id, why) -> refused.put(id, why.name()));
    return node;
  }
}
