package io.bullpen.redis.internal.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobParent;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.codec.OptionsCodec;
import io.bullpen.redis.internal.codec.Payloads;
import io.bullpen.redis.internal.keys.QueueKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a job's Redis hash says, read into {@link Job}'s getters; {@link RedisJob} adds what the job can do.
 * Immutable apart from the lazily parsed options.
 */
public abstract class JobHash implements Job {
  private final String id;
  private final String queueName;
  private final Map<String, String> fields;
  private volatile JobOptions options;

  protected JobHash(String id, String queueName, Map<String, String> fields) {
    this.id = Objects.requireNonNull(id, "id");
    this.queueName = queueName;
    this.fields = Collections.unmodifiableMap(fields);
  }

  /** Builds a job from a flat [field, value, field, value, …] list as HGETALL inside a script returns it. */
  public static Map<String, String> fieldsFromFlatList(List<?> flat) {
    Map<String, String> map = new LinkedHashMap<>(flat.size());
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      map.put(String.valueOf(flat.get(i)), flat.get(i + 1) == null ? null : String.valueOf(flat.get(i + 1)));
    }
    return map;
  }

  /** The payload limit data and results are read with. */
  protected abstract Payloads payloads();

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
  public String dataJson() {
    String data = fields.get("data");
    return data == null ? "{}" : data;
  }

  @Override
  public <T> T data(Class<T> type) {
    return payloads().read(dataJson(), type, "data of job " + id);
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
    return returnValueJson().map(json -> payloads().read(json, type, "return value of job " + id));
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
}
