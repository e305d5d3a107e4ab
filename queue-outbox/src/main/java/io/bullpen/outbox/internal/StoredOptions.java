package io.bullpen.outbox.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.Backoff;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.KeepJobs;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The outbox's own JSON form of {@link JobOptions}, written at enqueue and read by the relay. Only values that
 * were set are written, so the queue's default options still fill the rest when the job is added; reading is
 * strict (an unknown field or a bad value is an error naming it), since only this class writes the column.
 * Deduplication and parent are never stored: {@link io.bullpen.outbox.OutboxJob} refuses them.
 */
public final class StoredOptions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("jobId", "priority", "delay", "lifo", "attempts", "backoff",
      "removeOnComplete", "removeOnFail", "timestamp", "stackTraceLimit", "sizeLimit", "keepLogs", "group",
      "requiredCapability");

  private StoredOptions() {}

  public static String write(JobOptions o) {
    ObjectNode n = JSON.createObjectNode();
    o.jobId().ifPresent(v -> n.put("jobId", v));
    if (o.priority() > 0) {
      n.put("priority", o.priority());
    }
    if (o.delay() > 0) {
      n.put("delay", o.delay());
    }
    if (o.lifo()) {
      n.put("lifo", true);
    }
    if (o.hasAttempts()) {
      n.put("attempts", o.attempts());
    }
    o.backoff().ifPresent(b -> n.putObject("backoff").put("type", b.type()).put("delay", b.delay())
        .put("jitter", b.jitter()));
    o.removeOnComplete().ifPresent(k -> keep(n.putObject("removeOnComplete"), k));
    o.removeOnFail().ifPresent(k -> keep(n.putObject("removeOnFail"), k));
    o.timestamp().ifPresent(v -> n.put("timestamp", v));
    o.stackTraceLimit().ifPresent(v -> n.put("stackTraceLimit", v));
    o.sizeLimit().ifPresent(v -> n.put("sizeLimit", v));
    o.keepLogs().ifPresent(v -> n.put("keepLogs", v));
    o.group().ifPresent(v -> n.put("group", v));
    o.requiredCapability().ifPresent(v -> n.put("requiredCapability", v));
    return n.toString();
  }

  /**
   * The options stored as {@code json}.
   *
   * @throws InvalidOptionException naming the field that is unknown or holds a bad value
   */
  public static JobOptions read(String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidOptionException("options", json, "is not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new InvalidOptionException("options", json, "must be a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
      String field = it.next().getKey();
      if (!FIELDS.contains(field)) {
        throw new InvalidOptionException("options." + field, json, "is not an option the outbox stores");
      }
    }
    JobOptions.Builder b = JobOptions.builder();
    if (n.has("jobId")) b.jobId(text(n, "jobId"));
    if (n.has("priority")) b.priority((int) number(n, "priority"));
    if (n.has("delay")) b.delay(number(n, "delay"));
    if (n.has("lifo")) b.lifo(n.get("lifo").asBoolean());
    if (n.has("attempts")) b.attempts((int) number(n, "attempts"));
    if (n.has("backoff")) {
      JsonNode bo = n.get("backoff");
      b.backoff(new Backoff(text(bo, "type"), number(bo, "delay"), bo.path("jitter").asDouble(0)));
    }
    if (n.has("removeOnComplete")) b.removeOnComplete(keep(n.get("removeOnComplete")));
    if (n.has("removeOnFail")) b.removeOnFail(keep(n.get("removeOnFail")));
    if (n.has("timestamp")) b.timestamp(number(n, "timestamp"));
    if (n.has("stackTraceLimit")) b.stackTraceLimit((int) number(n, "stackTraceLimit"));
    if (n.has("sizeLimit")) b.sizeLimit((int) number(n, "sizeLimit"));
    if (n.has("keepLogs")) b.keepLogs((int) number(n, "keepLogs"));
    if (n.has("group")) b.group(text(n, "group"));
    if (n.has("requiredCapability")) b.requiredCapability(text(n, "requiredCapability"));
    return b.build();
  }

  private static void keep(ObjectNode node, KeepJobs k) {
    node.put("count", k.count()).put("age", k.ageSeconds()).put("limit", k.limit()).put("form", k.form().name());
  }

  private static KeepJobs keep(JsonNode n) {
    KeepJobs.Form form;
    try {
      form = KeepJobs.Form.valueOf(text(n, "form"));
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("options.keep.form", n.get("form").asText(), "is not a KeepJobs form");
    }
    return new KeepJobs(number(n, "count"), number(n, "age"), number(n, "limit"), form);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidOptionException("options." + field, v, "must be a string");
    }
    return v.asText();
  }

  private static long number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToLong()) {
      throw new InvalidOptionException("options." + field, v, "must be an integer");
    }
    return v.asLong();
  }
}
