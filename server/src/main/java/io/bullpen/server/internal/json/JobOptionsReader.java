package io.bullpen.server.internal.json;

import static io.bullpen.server.internal.http.Requests.bool;
import static io.bullpen.server.internal.http.Requests.integerValue;
import static io.bullpen.server.internal.http.Requests.onlyFields;
import static io.bullpen.server.internal.http.Requests.path;
import static io.bullpen.server.internal.http.Requests.text;
import static io.bullpen.server.internal.http.Requests.textValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.Backoff;
import io.bullpen.Deduplication;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.JobParent;
import io.bullpen.KeepJobs;
import io.bullpen.server.internal.http.ApiException;
import java.util.Set;

/**
 * Job options from JSON with the names of BullMQ's {@code JobsOptions} (camelCase, as a Node producer writes them):
 * {@code {"jobId":"a","priority":5,"attempts":3,"backoff":{"type":"exponential","delay":1000}}}. Every value goes
 * through {@link JobOptions.Builder}, so the rules are the library's; refusals name the field with its path.
 */
public final class JobOptionsReader {
  private static final Set<String> FIELDS = Set.of("jobId", "priority", "delay", "lifo", "attempts", "backoff",
      "removeOnComplete", "removeOnFail", "timestamp", "stackTraceLimit", "sizeLimit", "keepLogs", "parent",
      "failParentOnFailure", "continueParentOnFailure", "ignoreDependencyOnFailure", "removeDependencyOnFailure",
      "deduplication", "group", "requiredCapability");

  private JobOptionsReader() {}

  /** The options at {@code where} (e.g. {@code options}), or null when {@code node} is absent or null. */
  public static JobOptions read(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw ApiException.invalid(where, where + " must be an object, not " + node);
    }
    onlyFields(node, where, FIELDS);
    JobOptions.Builder b = JobOptions.builder();
    try {
      node.fields().forEachRemaining(field -> apply(b, field.getKey(), field.getValue(), node, where));
      return b.build();
    } catch (InvalidOptionException e) {
      throw ApiException.invalid(path(where, e.field()), e.getMessage());
    }
  }

  private static void apply(JobOptions.Builder b, String name, JsonNode value, JsonNode node, String where) {
    if (value.isNull()) {
      return;
    }
    String field = path(where, name);
    switch (name) {
      case "jobId" -> b.jobId(textValue(value, field));
      case "priority" -> b.priority((int) integerValue(value, field, 0, JobOptions.MAX_PRIORITY));
      case "delay" -> b.delay(integerValue(value, field, 0, Long.MAX_VALUE));
      case "lifo" -> b.lifo(bool(node, where, name, false));
      case "attempts" -> b.attempts((int) integerValue(value, field, 0, Integer.MAX_VALUE));
      case "backoff" -> b.backoff(backoff(value, field));
      case "removeOnComplete" -> b.removeOnComplete(keep(value, field));
      case "removeOnFail" -> b.removeOnFail(keep(value, field));
      case "timestamp" -> b.timestamp(integerValue(value, field, 0, Long.MAX_VALUE));
      case "stackTraceLimit" -> b.stackTraceLimit((int) integerValue(value, field, 0, Integer.MAX_VALUE));
      case "sizeLimit" -> b.sizeLimit((int) integerValue(value, field, 1, Integer.MAX_VALUE));
      case "keepLogs" -> b.keepLogs((int) integerValue(value, field, 0, Integer.MAX_VALUE));
      case "parent" -> {
        onlyFields(value, field, Set.of("id", "queue"));
        b.parent(new JobParent(text(value, field, "id"), text(value, field, "queue")));
      }
      case "failParentOnFailure" -> b.failParentOnFailure(bool(node, where, name, false));
      case "continueParentOnFailure" -> b.continueParentOnFailure(bool(node, where, name, false));
      case "ignoreDependencyOnFailure" -> b.ignoreDependencyOnFailure(bool(node, where, name, false));
      case "removeDependencyOnFailure" -> b.removeDependencyOnFailure(bool(node, where, name, false));
      case "deduplication" -> b.deduplication(deduplication(value, field));
      case "group" -> b.group(textValue(value, field));
      case "requiredCapability" -> b.requiredCapability(textValue(value, field));
      default -> throw new IllegalStateException("field list and switch disagree on " + name);
    }
  }

  private static Backoff backoff(JsonNode value, String field) {
    if (value.isNumber()) {
      return Backoff.fixed(integerValue(value, field, 0, Long.MAX_VALUE));
    }
    if (!value.isObject()) {
      throw ApiException.invalid(field, field + " must be a delay in ms or {type, delay, jitter}, not " + value);
    }
    onlyFields(value, field, Set.of("type", "delay", "jitter"));
    String type = text(value, field, "type");
    long delay = value.has("delay") ? integerValue(value.get("delay"), path(field, "delay"), 0, Long.MAX_VALUE) : 0;
    JsonNode jitter = value.get("jitter");
    if (jitter != null && !jitter.isNumber()) {
      throw ApiException.invalid(path(field, "jitter"), path(field, "jitter") + " must be a number, not " + jitter);
    }
    return new Backoff(type, delay, jitter == null ? 0.0 : jitter.asDouble());
  }

  private static KeepJobs keep(JsonNode value, String field) {
    if (value.isBoolean()) {
      return value.asBoolean() ? KeepJobs.none() : KeepJobs.all();
    }
    if (value.isIntegralNumber()) {
      return KeepJobs.newest(integerValue(value, field, 0, Long.MAX_VALUE));
    }
    if (!value.isObject()) {
      throw ApiException.invalid(field, field + " must be true, false, a count or {count, age, limit}, not " + value);
    }
    onlyFields(value, field, Set.of("count", "age", "limit"));
    long count = value.has("count") ? integerValue(value.get("count"), path(field, "count"), 0, Long.MAX_VALUE) : -1;
    long age = value.has("age") ? integerValue(value.get("age"), path(field, "age"), 0, Long.MAX_VALUE) : -1;
    long limit = value.has("limit") ? integerValue(value.get("limit"), path(field, "limit"), 1, Long.MAX_VALUE) : -1;
    return new KeepJobs(count, age, limit);
  }

  private static Deduplication deduplication(JsonNode value, String field) {
    if (!value.isObject()) {
      throw ApiException.invalid(field, field + " must be {id, ttl, extend, replace, keepLastIfActive}, not " + value);
    }
    onlyFields(value, field, Set.of("id", "ttl", "extend", "replace", "keepLastIfActive"));
    long ttl = value.has("ttl") ? integerValue(value.get("ttl"), path(field, "ttl"), 0, Long.MAX_VALUE) : 0;
    return new Deduplication(text(value, field, "id"), ttl, bool(value, field, "extend", false),
        bool(value, field, "replace", false), bool(value, field, "keepLastIfActive", false));
  }
}
