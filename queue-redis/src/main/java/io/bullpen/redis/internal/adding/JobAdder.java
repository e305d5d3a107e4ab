package io.bullpen.redis.internal.adding;

import io.bullpen.BullpenException;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.StoredText;
import io.bullpen.TimeLimits;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.codec.OptionsCodec;
import io.bullpen.redis.internal.codec.Payloads;
import io.bullpen.redis.internal.job.JobBackend;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.Script;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Adds jobs with the {@code addJobs} script: validates everything first, then sends the batch in atomic chunks
 * ({@link AddChunks}: 1,000 jobs by default), one call after the other, and builds the returned jobs from what was
 * written (no second round trip). Chunks holding a job with a flow {@code parent} go through {@link FlowAdder}
 * instead, still one call per chunk.
 */
public final class JobAdder {
  private static final int VALUES_PER_JOB = 8;
  private static final Script ADD_JOBS = Script.ADD_JOBS;

  private final QueueScripts scripts;
  private final JobOptions defaults;
  private final Clock clock;
  private final JobBackend handle;
  private final FlowAdder flows;
  private final Payloads payloads;
  private final AddChunks chunks;

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

  /** A job ready to be sent: its custom id ("" for none), the options after defaults, and its hash fields. */
  public record Prepared(String customId, JobOptions options, Map<String, String> fields) {}

  /** @param chunkSize most jobs per script call */
  public JobAdder(QueueScripts scripts, JobOptions defaults, Clock clock, JobBackend handle, FlowAdder flows,
      int chunkSize) {
    this.chunks = new AddChunks(chunkSize);
    this.scripts = scripts;
    this.defaults = defaults;
    this.clock = clock;
    this.handle = handle;
    this.flows = flows;
    this.payloads = handle.payloads();
  }

  public AddChunks chunks() {
    return chunks;
  }

  /**
   * Validates {@code specs} (throwing at once, before anything is sent) and adds them in order, one atomic script
   * call per chunk, each sent when the one before has been stored. With {@code bulk}, error messages name a spec
   * {@code jobs[i]}.
   */
  public CompletableFuture<List<Added>> add(List<JobSpec> specs, boolean bulk) {
    List<Prepared> prepared = new ArrayList<>(specs.size());
    long now = clock.millis();
    for (int i = 0; i < specs.size(); i++) {
      prepared.add(prepare(specs.get(i), defaults, now, bulk ? "jobs[" + i + "]." : "", payloads));
    }
    CompletableFuture<List<Added>> all = CompletableFuture.completedFuture(new ArrayList<>(prepared.size()));
    for (List<Prepared> chunk : chunks.split(prepared)) {
      all = all.thenCompose(done -> store(chunk).thenApply(added -> {
        done.addAll(added);
        return done;
      }));
    }
    return all;
  }

  private CompletableFuture<List<Added>> store(List<Prepared> chunk) {
    if (chunk.stream().anyMatch(p -> p.options().parent().isPresent())) {
      return addWithParents(chunk);
    }
    return addAsync(chunk);
  }

  /** Validates one job and renders its fields; nothing is sent. */
  public Prepared prepare(JobSpec spec) {
    return prepare(spec, defaults, clock.millis(), "", payloads);
  }

  /** Stores already prepared jobs without a parent (see {@link #addWithParents}) in one {@code addJobs} call. */
  public CompletableFuture<List<Added>> addAsync(List<Prepared> prepared) {
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
      args.add(p.options.lifo() ? "1" : "0");
    }
    return scripts.runner().run(ADD_JOBS,
        List.of(keys.waitList(), keys.meta(), keys.idCounter(), keys.delayed(), keys.prioritized(),
            keys.priorityCounter(), keys.active(), keys.events(), keys.marker()),
        args).thenApply(reply -> parse(reply, prepared));
  }

  private List<Added> parse(Object reply, List<Prepared> prepared) {
    QueueKeys keys = scripts.keys();
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

  CompletableFuture<List<Added>> addWithParents(List<Prepared> prepared) {
    List<FlowAdder.Node> nodes = new ArrayList<>(prepared.size());
    for (Prepared p : prepared) {
      FlowAdder.Link link = p.options().parent()
          .map(parent -> FlowAdder.Link.toExisting(parent, p.options())).orElse(null);
      nodes.add(new FlowAdder.Node(scripts.keys(), p.customId().isEmpty() ? null : p.customId(), p, false, link));
    }
    return flows.add(nodes).thenApply(stored -> {
      List<Added> added = new ArrayList<>(stored.size());
      for (FlowAdder.Stored s : stored) {
        added.add(new Added(s.job(), s.duplicate(), false));
      }
      return added;
    });
  }

  /**
   * Validates one job and renders its hash fields: {@code options} merged over {@code defaults}, data as JSON
   * within {@code sizeLimit} and the payload limit, the timestamp (the option, else {@code now}). {@code field}
   * prefixes the names in error messages (e.g. {@code jobs[2].}).
   */
  public static Prepared prepare(JobSpec spec, JobOptions defaults, long now, String field, Payloads payloads) {
    if (spec == null) {
      throw new InvalidOptionException(field.isEmpty() ? "job" : field.substring(0, field.length() - 1), null,
          "must not be null");
    }
    if (spec.name() == null) {
      throw new InvalidOptionException(field + "name", null, "a job name is required");
    }
    StoredText.requireWellFormed(field + "name", spec.name());
    JobOptions options = spec.options() == null ? defaults : spec.options().withDefaults(defaults);
    String optionsField = field.isEmpty() ? "" : field + "options.";
    options.jobId().ifPresent(id -> QueueKeys.requireJobId(optionsField + "jobId", id));
    options.parent().ifPresent(parent -> QueueKeys.requireJobId(optionsField + "parent.id", parent.id()));
    if (options.parent().isPresent() && options.deduplication().isPresent()) {
      throw new InvalidOptionException(field + "deduplication", options.deduplication().get().id(),
          "cannot be combined with a parent (as in BullMQ); flow jobs are not deduplicated");
    }
    String data = payloads.requireWithin(field + "data", Json.dataToJson(spec.data(), field + "data"),
        options.sizeLimit().orElse(null));
    long timestamp = options.timestamp().orElse(now);
    if (options.delay() > 0) {
      TimeLimits.requireDueBy(optionsField.isEmpty() ? "delay" : optionsField + "delay", options.delay(), timestamp);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", spec.name());
    fields.put("data", data);
    fields.put("opts", OptionsCodec.toJson(options).toString());
    fields.put("timestamp", Long.toString(timestamp));
    fields.put("delay", Long.toString(options.delay()));
    fields.put("priority", Integer.toString(options.priority()));
    return new Prepared(options.jobId().orElse(""), options, fields);
  }
}
