package io.bullpen.redis.internal.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.BullpenException;
import io.bullpen.DependencyCounts;
import io.bullpen.DependencyPage;
import io.bullpen.Job;
import io.bullpen.JobDependencies;
import io.bullpen.JobOptions;
import io.bullpen.JobParent;
import io.bullpen.JobState;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.codec.OptionsCodec;
import io.bullpen.redis.internal.keys.QueueKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** A {@link Job} read from its Redis hash. Immutable apart from the lazily parsed options. */
public final class RedisJob implements Job {
  private final String id;
  private final String queueName;
  private final Map<String, String> fields;
  private final JobBackend backend;
  private final String lockToken;
  private volatile JobOptions options;

  public RedisJob(String id, String queueName, Map<String, String> fields, JobBackend backend, String lockToken) {
    this.id = Objects.requireNonNull(id, "id");
    this.queueName = queueName;
    this.fields = Collections.unmodifiableMap(fields);
    this.backend = backend;
    this.lockToken = lockToken;
  }

  /** Builds a job from a flat [field, value, field, value, …] list as HGETALL inside a script returns it. */
  public static Map<String, String> fieldsFromFlatList(List<?> flat) {
    Map<String, String> map = new java.util.LinkedHashMap<>(flat.size());
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      map.put(String.valueOf(flat.get(i)), flat.get(i + 1) == null ? null : String.valueOf(flat.get(i + 1)));
    }
    return map;
  }

  /** The same job, now held with {@code token}. */
  public RedisJob withLockToken(String token) {
    return new RedisJob(id, queueName, fields, backend, token);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String name() {
    return fields.getOrDefault("name", "");
  }

  @Override
  public String queueName() {
    return queueName;
  }

  @Override
  public String queueQualifiedName() {
    return backend().queueQualifiedName();
  }

  @Override
  public String dataJson() {
    String data = fields.get("data");
    return data == null ? "{}" : data;
  }

  @Override
  public <T> T data(Class<T> type) {
    return Json.fromJson(dataJson(), type, "data of job " + id);
  }

  @Override
  public JobOptions options() {
    JobOptions parsed = options;
    if (parsed == null) {
      parsed = OptionsCodec.fromJson(fields.get("opts"));
      options = parsed;
    }
    return parsed;
  }

  @Override
  public String optionsJson() {
    String opts = fields.get("opts");
    return opts == null ? "{}" : opts;
  }

  @Override
  public long timestamp() {
    return longField("timestamp", 0);
  }

  @Override
  public long delay() {
    return longField("delay", 0);
  }

  @Override
  public int priority() {
    return (int) longField("priority", 0);
  }

  @Override
  public OptionalLong processedOn() {
    return optionalLong("processedOn");
  }

  @Override
  public OptionalLong finishedOn() {
    return optionalLong("finishedOn");
  }

  @Override
  public Optional<String> returnValueJson() {
    return Optional.ofNullable(fields.get("returnvalue"));
  }

  @Override
  public <T> Optional<T> returnValue(Class<T> type) {
    return returnValueJson().map(json -> Json.fromJson(json, type, "return value of job " + id));
  }

  @Override
  public Optional<String> failedReason() {
    return Optional.ofNullable(fields.get("failedReason"));
  }

  @Override
  public List<String> stacktrace() {
    String json = fields.get("stacktrace");
    if (json == null || json.isEmpty()) {
      return List.of();
    }
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      if (!node.isArray()) {
        return List.of();
      }
      List<String> traces = new ArrayList<>(node.size());
      node.forEach(entry -> traces.add(entry.isTextual() ? entry.asText() : entry.toString()));
      return Collections.unmodifiableList(traces);
    } catch (Exception e) {
      return List.of();
    }
  }

  @Override
  public String progressJson() {
    String progress = fields.get("progress");
    return progress == null ? "0" : progress;
  }

  @Override
  public int attemptsMade() {
    String atm = fields.get("atm");
    return (int) (atm != null ? parseLong(atm, 0) : longField("attemptsMade", 0));
  }

  @Override
  public int attemptsStarted() {
    return (int) longField("ats", 0);
  }

  @Override
  public int stalledCounter() {
    return (int) longField("stc", 0);
  }

  @Override
  public Optional<String> processedBy() {
    return Optional.ofNullable(fields.get("pb"));
  }

  @Override
  public Optional<String> deferredFailure() {
    return Optional.ofNullable(fields.get("defa"));
  }

  @Override
  public Optional<String> parentKey() {
    return Optional.ofNullable(fields.get("parentKey"));
  }

  @Override
  public Optional<JobParent> parent() {
    String json = fields.get("parent");
    if (json != null) {
      try {
        JsonNode node = Json.MAPPER.readTree(json);
        if (node.hasNonNull("id") && node.hasNonNull("queueKey")) {
          return Optional.of(new JobParent(node.get("id").asText(), node.get("queueKey").asText()));
        }
      } catch (Exception e) {
        // Unreadable: fall back to parentKey below.
      }
    }
    return parentKey().flatMap(QueueKeys::parseJobKey)
        .map(ref -> new JobParent(ref.jobId(), ref.queue().qualifiedName()));
  }

  @Override
  public Optional<String> repeatJobKey() {
    return Optional.ofNullable(fields.get("rjk"));
  }

  @Override
  public Map<String, String> rawFields() {
    return fields;
  }

  @Override
  public Optional<String> lockToken() {
    return Optional.ofNullable(lockToken);
  }

  @Override
  public void updateProgress(Object progress) {
    if (progress == null) {
      throw new io.bullpen.InvalidOptionException("progress", null, "must be a number or a JSON-serialisable object");
    }
    backend().updateProgress(id, Json.dataToJson(progress, "progress"));
  }

  @Override
  public long log(String line) {
    Objects.requireNonNull(line, "line");
    return backend().addLog(id, line, options().keepLogs().orElse(null));
  }

  @Override
  public void extendLock(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (lockToken == null) {
      throw new IllegalStateException("job " + id + " was not fetched by a worker; it holds no lock to extend");
    }
    backend().extendLock(id, lockToken, duration);
  }

  @Override
  public void updateData(Object data) {
    backend().updateData(id, Json.dataToJson(data, "data"));
  }

  @Override
  public JobState state() {
    return backend().getState(id);
  }

  @Override
  public void retry() {
    backend().reprocess(id);
  }

  @Override
  public boolean remove() {
    return backend().remove(id);
  }

  @Override
  public void promote() {
    backend().promote(id);
  }

  @Override
  public Map<String, String> getChildrenValues() {
    return backend().getChildrenValues(id);
  }

  @Override
  public Map<String, String> getFailedChildrenValues() {
    return backend().getIgnoredFailures(id);
  }

  @Override
  public JobDependencies getDependencies() {
    return backend().getDependencies(id, null);
  }

  @Override
  public JobDependencies getDependencies(DependencyPage page) {
    Objects.requireNonNull(page, "page");
    return backend().getDependencies(id, page);
  }

  @Override
  public DependencyCounts getDependenciesCount() {
    return backend().getDependencyCounts(id);
  }

  @Override
  public boolean moveToWaitingChildren() {
    return moveToWaitingChildren(null);
  }

  @Override
  public boolean moveToWaitingChildren(String childKey) {
    if (lockToken == null) {
      throw new IllegalStateException("job " + id + " was not fetched by a worker; only its processor can move it to "
          + "waiting-children");
    }
    return backend().moveToWaitingChildren(id, lockToken, childKey);
  }

  @Override
  public boolean removeChildDependency() {
    return backend().removeChildDependency(id);
  }

  private JobBackend backend() {
    if (backend == null) {
      throw new BullpenException("job " + id + " is detached from its queue");
    }
    return backend;
  }

  private long longField(String field, long fallback) {
    return parseLong(fields.get(field), fallback);
  }

  private OptionalLong optionalLong(String field) {
    String value = fields.get(field);
    if (value == null || value.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(parseLong(value, 0));
  }

  private static long parseLong(String value, long fallback) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      try {
        return (long) Double.parseDouble(value);
      } catch (NumberFormatException ignored) {
        return fallback;
      }
    }
  }

  @Override
  public String toString() {
    return "Job{" + queueName + "/" + id + " " + name() + "}";
  }
}
