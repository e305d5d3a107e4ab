package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobLogs;
import io.bullpen.JobMetrics;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.event.QueueListener;
import io.bullpen.redis.internal.adding.AddBatcher;
import io.bullpen.redis.internal.adding.FlowAdder;
import io.bullpen.redis.internal.adding.JobAdder;
import io.bullpen.redis.internal.admin.QueueMaintenance;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.codec.LibraryVersion;
import io.bullpen.redis.internal.codec.Payloads;
import io.bullpen.redis.internal.connection.ConnectionScope;
import io.bullpen.redis.internal.job.ListeningJobBackend;
import io.bullpen.redis.internal.job.QueueListeners;
import io.bullpen.redis.internal.job.RedisJobBackend;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.observe.Observers;
import io.bullpen.redis.internal.reading.QueueReader;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.OpenState;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.redis.internal.script.ServerFunctions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * {@link Queue}'s operations as {@link Call}s, with the listener notifications each one makes, so that the
 * blocking and the async method of a pair are the same call joined or started. Package-private: Queue and its
 * views are its only users.
 */
final class QueueOperations {
  private final ConnectionScope connections;
  private final OpenState open;
  final QueueKeys keys;
  final QueueOptions options;
  final QueueScripts scripts;
  final QueueListeners listeners;
  final RedisJobBackend backend;
  final ListeningJobBackend jobs;
  private final JobAdder adder;
  private final AddBatcher singleAdds;
  private final QueueReader reader;
  private final QueueMaintenance maintenance;
  private final ObservedAdds observedAdds;

  private QueueOperations(ConnectionScope connections, QueueKeys keys, QueueOptions options) {
    ScriptRunner runner = new ScriptRunner(connections.commands());
    long timeoutMillis = options.redis().commandTimeout().toMillis();
    this.connections = connections;
    this.keys = keys;
    this.options = options;
    this.scripts = new QueueScripts(keys, runner, timeoutMillis);
    this.listeners = new QueueListeners(keys.queueName());
    this.open = new OpenState("queue " + keys.queueName());
    this.backend = new RedisJobBackend(keys, runner, timeoutMillis, options.clock(),
        Payloads.of(options.redis().maxPayloadBytes()));
    this.jobs = new ListeningJobBackend(backend, listeners, open);
    FlowAdder flows = new FlowAdder(runner, options.clock(), queue -> jobs);
    this.adder = new JobAdder(scripts, options.defaultJobOptions(), options.clock(), jobs, flows,
        options.bulkChunkSize());
    // Adds made concurrently from several threads share addJobs calls (group commit).
    this.singleAdds = new AddBatcher(adder);
    this.reader = new QueueReader(scripts, jobs);
    this.maintenance = new QueueMaintenance(scripts, options.clock());
    this.observedAdds = new ObservedAdds(Observers.of(options.observers()), keys.queueName(),
        options.defaultJobOptions());
  }

  /** Connects to Redis for the queue {@code name} and prepares it (see {@link #prepare}). */
  static QueueOperations connect(String name, QueueOptions options) {
    if (options == null) {
      throw new InvalidOptionException("options", null, "QueueOptions are required");
    }
    QueueKeys keys = new QueueKeys(options.prefix(), name);
    ConnectionScope connections = RedisConnector.scope(options.connector().orElse(null), options.redis());
    try {
      if (connections.isCluster()) {
        keys.requireOneSlot();
      }
      QueueOperations ops = new QueueOperations(connections, keys, options);
      ops.prepare();
      return ops;
    } catch (RuntimeException e) {
      connections.close();
      throw e;
    }
  }

  /** Releases the connections once; later calls do nothing. */
  void close() {
    if (open.close()) {
      connections.close();
    }
  }

  /**
   * Writes the meta fields {@code opts.maxLenEvents} and {@code version}, and loads the function library (or,
   * where the server takes no functions, {@code addJobs}) up front:
   * concurrent first adds would otherwise all meet NOSCRIPT, and their retries could reach Redis out of call
   * order, numbering jobs out of order.
   */
  private void prepare() {
    long timeout = scripts.timeoutMillis();
    RedisCalls.await(scripts.commands().hset(keys.meta(), Map.of(
        "opts.maxLenEvents", Integer.toString(options.maxLenEvents()),
        "version", LibraryVersion.metaVersion())), timeout, "HSET meta on queue " + keys.queueName());
    boolean functions = RedisCalls.await(ServerFunctions.of(connections.commands()).load(keys.meta()), timeout,
        "FUNCTION LOAD");
    if (!functions) {
      RedisCalls.await(connections.commands().loadScript(Script.ADD_JOBS.lua().source(), keys.meta()), timeout,
          "SCRIPT LOAD addJobs");
    }
  }

  private long replicaWaitMillis() {
    return ReplicaWait.boundMillis(options.redis());
  }

  private <T> CompletionStage<T> replicated(CompletionStage<T> written) {
    return ReplicaWait.after(written, connections, keys.meta());
  }

  /** @throws io.bullpen.ClosedException once the queue is closed */
  void checkOpen() {
    open.check();
  }

  /** {@code call}, telling the listeners of Redis failures and refused once the queue is closed. */
  <T> Call<T> guard(Call<T> call) {
    return jobs.guard(call);
  }

  Call<Job> add(String name, Object data, JobOptions jobOptions) {
    ObservedAdds.Started started = observedAdds.start(List.of(JobSpec.of(name, data, jobOptions)));
    JobSpec spec = started.specs().get(0);
    // An add may queue behind the two calls in flight: allow for all three.
    long bound = 3 * scripts.timeoutMillis() + replicaWaitMillis();
    return guard(started.observed(Call.of("addJobs on queue " + keys.queueName(), bound,
        () -> replicated(singleAdds.addAsync(spec)))
        .onSuccess(added -> {
          if (!added.absorbed()) {
            listeners.fire("onWaiting", l -> l.onWaiting(added.job()));
          }
        }).map(JobAdder.Added::job), job -> List.of(job.id())));
  }

  Call<List<Job>> addBulk(List<JobSpec> specs) {
    if (specs == null) {
      throw new InvalidOptionException("jobs", null, "the list of jobs must not be null");
    }
    ObservedAdds.Started started = observedAdds.start(new ArrayList<>(specs));
    List<JobSpec> copy = started.specs();
    // One call per chunk, each bounded by the command timeout.
    return guard(started.observed(scripts.longCall("addBulk", () -> replicated(adder.add(copy, true))).onSuccess(added -> {
      for (JobAdder.Added a : added) {
        if (!a.absorbed()) {
          listeners.fire("onWaiting", l -> l.onWaiting(a.job()));
        }
      }
    }).map(added -> added.stream().map(a -> (Job) a.job()).toList()),
        jobs -> jobs.stream().map(Job::id).toList()));
  }

  Call<Optional<Job>> getJob(String jobId) {
    return guard(backend.getJob(jobId, jobs));
  }

  Call<List<Job>> getJobs(Set<JobState> states, long start, long end, boolean asc) {
    return guard(reader.getJobs(states, start, end, asc));
  }

  Call<Map<JobState, Long>> getJobCounts(JobState... states) {
    return guard(reader.getJobCounts(states));
  }

  Call<JobState> getJobState(String jobId) {
    return jobs.getState(jobId);
  }

  Call<JobLogs> getJobLogs(String jobId, long start, long end, boolean asc) {
    return guard(reader.getJobLogs(jobId, start, end, asc));
  }

  Call<JobMetrics> getMetrics(JobMetrics.Type type, long start, long end) {
    return guard(reader.getMetrics(type, start, end));
  }

  Call<Boolean> isPaused() {
    return guard(reader.isPaused());
  }

  Call<Void> pause() {
    return guard(maintenance.pause()).onSuccess(v -> listeners.fire("onPaused", QueueListener::onPaused));
  }

  Call<Void> resume() {
    return guard(maintenance.resume().map(moved -> (Void) null))
        .onSuccess(v -> listeners.fire("onResumed", QueueListener::onResumed));
  }

  Call<Void> drain(boolean includeDelayed) {
    return guard(maintenance.drain(includeDelayed).map(deleted -> (Void) null));
  }

  Call<List<String>> clean(Duration grace, int limit, JobState state) {
    return guard(maintenance.clean(grace, limit, state))
        .onSuccess(ids -> listeners.fire("onCleaned", l -> l.onCleaned(ids, state)));
  }

  Call<Void> obliterate(boolean force) {
    return guard(maintenance.obliterate(force));
  }

  Call<Boolean> remove(String jobId) {
    return jobs.remove(jobId);
  }

  Call<Long> retryJobs(JobState state, int count, long timestamp) {
    return guard(maintenance.retryJobs(state, count, timestamp));
  }

  Call<Void> promote(String jobId) {
    return jobs.promote(jobId);
  }

  Call<Long> promoteJobs(int count) {
    return guard(maintenance.promoteJobs(count));
  }

  Call<Void> changePriority(String jobId, int priority, boolean lifo) {
    return guard(backend.changePriority(jobId, priority, lifo));
  }

  Call<Void> changeDelay(String jobId, long delayMillis) {
    return guard(backend.changeDelay(jobId, delayMillis));
  }

  Call<Void> updateData(String jobId, Object data) {
    return jobs.updateData(jobId, Json.dataToJson(data, "data"));
  }

  Call<Void> updateJobProgress(String jobId, Object progress) {
    RedisJobBackend.requireId(jobId);
    return jobs.updateProgress(jobId, Json.progressToJson(progress))
        .onSuccess(v -> listeners.fire("onProgress", l -> l.onProgress(jobId, progress)));
  }

  Call<Long> addJobLog(String jobId, String line, int keepLogs) {
    if (keepLogs < 0) {
      throw new InvalidOptionException("keepLogs", keepLogs, "must be >= 0 (0 keeps every line)");
    }
    return jobs.addLog(jobId, line, keepLogs);
  }

  Call<Boolean> cancelJob(String jobId, String reason, boolean retry) {
    return guard(backend.cancelJob(jobId, reason, retry));
  }
}
