package io.bullpen.redis;

import io.bullpen.JobOptions;
import io.bullpen.redis.internal.codec.Payloads;
import io.bullpen.redis.internal.codec.OptionsCodec;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A job scheduler as stored in Redis (the hash {@code repeat:<id>} and its score in {@code repeat}), whether
 * Bullpen or BullMQ wrote it. Read with {@link JobSchedulers#get}; a snapshot, not refreshed.
 */
public final class JobScheduler {
  private final String id;
  private final long next;
  private final Map<String, String> fields;
  private final Payloads payloads;

  JobScheduler(String id, long next, Map<String, String> fields, Payloads payloads) {
    this.id = id;
    this.next = next;
    this.fields = Collections.unmodifiableMap(fields);
    this.payloads = payloads;
  }

  public String id() {
    return id;
  }

  /** The name of the jobs it creates. */
  public String name() {
    return fields.getOrDefault("name", id);
  }

  /** When its pending run is due: the millis in that run's id {@code repeat:<id>:<millis>}. */
  public Instant next() {
    return Instant.ofEpochMilli(next);
  }

  /** The id of its pending run. */
  public String nextJobId() {
    return "repeat:" + id + ":" + next;
  }

  public Optional<String> pattern() {
    return Optional.ofNullable(fields.get("pattern"));
  }

  /** The interval of an every scheduler, in ms. */
  public OptionalLong every() {
    return optionalLong("every");
  }

  public Optional<String> tz() {
    return Optional.ofNullable(fields.get("tz"));
  }

  /** The position of an every scheduler's runs within each interval, in ms. */
  public OptionalLong offset() {
    return optionalLong("offset");
  }

  public OptionalInt limit() {
    OptionalLong limit = optionalLong("limit");
    return limit.isPresent() ? OptionalInt.of((int) limit.getAsLong()) : OptionalInt.empty();
  }

  public Optional<Instant> startDate() {
    OptionalLong millis = optionalLong("startDate");
    return millis.isPresent() ? Optional.of(Instant.ofEpochMilli(millis.getAsLong())) : Optional.empty();
  }

  public Optional<Instant> endDate() {
    OptionalLong millis = optionalLong("endDate");
    return millis.isPresent() ? Optional.of(Instant.ofEpochMilli(millis.getAsLong())) : Optional.empty();
  }

  /** How many runs it has created so far ({@code ic}). */
  public long iterationCount() {
    return optionalLong("ic").orElse(0);
  }

  /** The data of its runs, as JSON text ({@code {}} when none). */
  public String dataJson() {
    return fields.getOrDefault("data", "{}");
  }

  /** The data of its runs converted to {@code type} with Jackson. */
  public <T> T data(Class<T> type) {
    return payloads.read(dataJson(), type, "data of job scheduler " + id);
  }

  /** The options of its runs, as far as Bullpen understands them. */
  public JobOptions templateOptions() {
    return OptionsCodec.fromJson(fields.get("opts"));
  }

  /** The stored options JSON of its runs ({@code {}} when none), BullMQ's short keys. */
  public String templateOptionsJson() {
    return fields.getOrDefault("opts", "{}");
  }

  /** Every field of the hash as read. */
  public Map<String, String> rawFields() {
    return fields;
  }

  private OptionalLong optionalLong(String field) {
    String value = fields.get(field);
    if (value == null || value.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of((long) Double.parseDouble(value));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public String toString() {
    return "JobScheduler{" + id + ", " + (pattern().isPresent() ? "pattern=" + pattern().get() : "every="
        + fields.get("every")) + ", next=" + next() + ", runs=" + iterationCount() + "}";
  }
}
