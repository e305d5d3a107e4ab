package io.bullpen.redis.internal;

import io.bullpen.BullpenException;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.redis.JobSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds jobs with the {@code addJobs} script: validates everything first, then sends the whole batch in one
 * atomic call, and builds the returned jobs from what was written (no second round trip).
 */
public final class JobAdder {
  private static final int VALUES_PER_JOB = 8;

  private final QueueScripts scripts;
  private final JobOptions defaults;
  private final Clock clock;
  private final JobBackend handle;

  /**
   * One job as the add left it: newly stored, or the existing job when its custom id was taken
   * ({@code duplicate}) or when another job owns its deduplication id ({@code deduplicated}).
   */
  public record Added(RedisJob job, boolean duplicate, boolean deduplicated) {
    /** Whether nothing new was stored. */
    public boolean absorbed() {
      return duplicate || deduplicated;
    }
  }

  public JobAdder(QueueScripts scripts, JobOptions defaults, Clock clock, JobBackend handle) {
    this.scripts = scripts;
    this.defaults = defaults;
    this.clock = clock;
    this.handle = handle;
  }

  /**
   * Adds {@code specs} in order, all in one script call. With {@code bulk}, error messages name a spec
   * {@code jobs[i]}.
   */
  public List<Added> add(List<JobSpec> specs, boolean bulk) {
    List<Prepared> prepared = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      prepared.add(prepare(specs.get(i), bulk ? "jobs[" + i + "]." : ""));
    }
    if (prepared.isEmpty()) {
      return List.of();
    }
    QueueKeys keys = scripts.keys();
    List<String> args = new ArrayList<>(2 + prepared.size() * VALUES_PER_JOB);
    args.add(keys.keyPrefix());
    args.add(Integer.toString(prepared.size()));
    for (Prepared p : prepared) {
      args.add(p.customId);
      args.add(p.fields.get("name"));
      args.add(p.fields.get("timestamp"));
      args.add(p.fields.get("data"));
      args.add(p.fields.get("opts"));
      args.add(p.fields.get("delay"));
      args.add(p.fields.get("priority"));
      args.add(p.lifo ? "1" : "0");
    }
    Object reply = scripts.run("addJobs",
        List.of(keys.waitList(), keys.meta(), keys.idCounter(), keys.delayed(), keys.prioritized(),
            keys.priorityCounter(), keys.active(), keys.events(), keys.marker()),
        args);
    List<Object> entries = QueueScripts.list(reply, "addJobs");
    if (entries.size() != prepared.size()) {
      throw new BullpenException("addJobs answered " + entries.size() + " entries for " + prepared.size() + " jobs");
    }
    List<Added> added = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      List<Object> entry = QueueScripts.list(entries.get(i), "addJobs");
      String id = String.valueOf(entry.get(0));
      long outcome = QueueScripts.number(entry.get(1), "addJobs");
      boolean duplicate = outcome == 1;
      boolean deduplicated = outcome == 2;
      Map<String, String> fields = duplicate || deduplicated
          ? RedisJob.fieldsFromFlatList(entry.subList(2, entry.size()))
          : prepared.get(i).fields;
      added.add(new Added(new RedisJob(id, keys.queueName(), fields, handle, null), duplicate, deduplicated));
    }
    return added;
  }

  private Prepared prepare(JobSpec spec, String field) {
    if (spec == null) {
      throw new InvalidOptionException(field.isEmpty() ? "job" : field.substring(0, field.length() - 1), null,
          "must not be null");
    }
    if (spec.name() == null) {
      throw new InvalidOptionException(field + "name", null, "a job name is required");
    }
    JobOptions options = spec.options() == null ? defaults : spec.options().withDefaults(defaults);
    String data = Json.dataToJson(spec.data(), field + "data");
    if (options.sizeLimit().isPresent()) {
      int bytes = data.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > options.sizeLimit().get()) {
        throw new InvalidOptionException(field + "data", data,
            "is " + bytes + " bytes of JSON, more than sizeLimit " + options.sizeLimit().get());
      }
    }
    long timestamp = options.timestamp().orElseGet(clock::millis);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", spec.name());
    fields.put("data", data);
    fields.put("opts", OptionsCodec.toJson(options).toString());
    fields.put("timestamp", Long.toString(timestamp));
    fields.put("delay", Long.toString(options.delay()));
    fields.put("priority", Integer.toString(options.priority()));
    return new Prepared(options.jobId().orElse(""), options.lifo(), fields);
  }

  private record Prepared(String customId, boolean lifo, Map<String, String> fields) {}
}
