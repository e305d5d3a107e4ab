package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobLogs;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.LeaseFailure;
import io.bullpen.LeaseResult;
import io.bullpen.event.QueueListener;
import io.bullpen.redis.internal.adding.AddBatcher;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.settle.BatchScripts;
import io.bullpen.GroupLimits;
import io.bullpen.Limiter;
import io.bullpen.redis.internal.admin.DeadLetters;
import io.bullpen.redis.internal.admin.Deduplications;
import io.bullpen.redis.internal.admin.QueueLimits;
import io.bullpen.redis.internal.admin.GroupControls;
import io.bullpen.redis.internal.adding.FlowAdder;
import io.bullpen.redis.internal.adding.JobAdder;
import io.bullpen.redis.internal.scheduling.JobSchedulerStore;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.lease.LeaseOperations;
import io.bullpen.redis.internal.codec.LibraryVersion;
import io.bullpen.redis.internal.job.ListeningJobBackend;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.job.QueueListeners;
import io.bullpen.redis.internal.admin.QueueMaintenance;
import io.bullpen.redis.internal.reading.QueueReader;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.connection.RedisConnections;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.job.RedisJobBackend;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.scheduler.Repeat;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The producer side of one queue (BullMQ's {@code Queue}): adds jobs, reads them, and controls the queue. Jobs
 * it writes are indistinguishable from BullMQ 6's, so Node and Java workers can process them.
 *
 * <pre>{@code
 * try (Queue queue = new Queue("mail", QueueOptions.of(RedisConfig.of("redis://127.0.0.1:6379")))) {
 *   Job job = queue.add("welcome", new Welcome("ann@example.com"), JobOptions.builder().attempts(3).build());
 * }
 * }</pre>
 *
 * <p>Thread-safe. Holds one Redis connection, closed by {@link #close()}. Every operation is one atomic Lua
 * script (batches repeat a script), with the clock of {@link QueueOptions#clock()}. Failures: bad arguments
 * throw {@link InvalidOptionException} before anything is sent; Redis trouble throws
 * {@link io.bullpen.QueueConnectionException} within the configured command timeout; a job that is missing or in
 * the wrong state throws {@link io.bullpen.JobNotFoundException} or {@link io.bullpen.JobStateException}.
 */
public final class Queue implements AutoCloseable {
  private final QueueKeys keys;
  private final QueueOptions options;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final QueueListeners listeners;
  private final RedisJobBackend backend;
  private final ListeningJobBackend jobs;
  private final JobAdder adder;
  private final AddBatcher singleAdds;
  private final QueueReader reader;
  private final QueueMaintenance maintenance;
  private final JobSchedulerStore schedulers;
  private final LeaseOperations leases;
  private final QueueLimits limits;
  private final Deduplications deduplications;
  private final DeadLetters deadLetters;
  private final GroupControls groups;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Connects to Redis and writes the queue's meta fields {@code opts.maxLenEvents} and {@code version} (others
   * are left alone).
   *
   * @throws InvalidOptionException for a bad name or missing options
   * @throws io.bullpen.QueueConnectionException when Redis cannot be reached
   */
  public Queue(String name, QueueOptions options) {
    if (options == null) {
      throw new InvalidOptionException("options", null, "QueueOptions are required");
    }
    this.keys = new QueueKeys(options.prefix(), name);
    this.options = options;
    this.client = RedisConnections.newClient(options.redis());
    StatefulRedisConnection<String, String> conn = null;
    try {
      conn = RedisConnections.connect(client, options.redis());
      this.connection = conn;
      long timeoutMillis = options.redis().commandTimeout().toMillis();
      ScriptRunner runner = new ScriptRunner(conn.async());
      QueueScripts scripts = new QueueScripts(keys, runner, timeoutMillis);
      this.listeners = new QueueListeners(name);
      this.backend = new RedisJobBackend(keys, runner, timeoutMillis, options.clock());
      this.jobs = new ListeningJobBackend(backend, listeners);
      FlowAdder flows = new FlowAdder(runner, timeoutMillis, options.clock(), queue -> jobs);
      this.adder = new JobAdder(scripts, options.defaultJobOptions(), options.clock(), jobs, flows);
      // Adds made concurrently from several threads share addJobs calls (group commit).
      this.singleAdds = new AddBatcher(adder, timeoutMillis);
      this.reader = new QueueReader(scripts, jobs);
      this.maintenance = new QueueMaintenance(scripts, options.clock());
      this.schedulers = new JobSchedulerStore(keys, runner, timeoutMillis, options.clock());
      this.leases = new LeaseOperations(new BatchScripts(keys, runner, timeoutMillis, null, null), options.clock(),
          jobs);
      this.limits = new QueueLimits(scripts);
      this.deduplications = new Deduplications(scripts);
      this.deadLetters = new DeadLetters(scripts, options.clock());
      this.groups = new GroupControls(scripts);
      scripts.await(conn.async().hset(keys.meta(), Map.of(
          "opts.maxLenEvents", Integer.toString(options.maxLenEvents()),
          "version", LibraryVersion.metaVersion())), "HSET meta");
      // Loaded up front: concurrent first adds would otherwise all meet NOSCRIPT, and their retries could reach
      // Redis out of call order, numbering jobs out of order.
      scripts.await(conn.async().scriptLoad(Script.ADD_JOBS.lua().source()), "SCRIPT LOAD addJobs");
    } catch (RuntimeException e) {
      if (conn != null) {
        conn.close();
      }
      RedisConnections.shutdown(client);
      throw e;
    }
  }

  public String name() {
    return keys.queueName();
  }

  /** {@code <prefix>:<name>}, BullMQ's qualified queue name. */
  public String qualifiedName() {
    return keys.qualifiedName();
  }

  public QueueOptions options() {
    return options;
  }

  // ---- adding ------------------------------------------------------------------------------------------------

  /** Adds a job with the queue's default options. */
  public Job add(String name, Object data) {
    return add(name, data, null);
  }

  /**
   * Adds a job. {@code data} is serialised with Jackson ({@link RawJson} passes JSON text through; null stores
   * {@code {}}); {@code options} (null for none) are merged over the queue's defaults. When a job with the same
   * custom {@code jobId} exists, nothing is written: the existing job is returned and a {@code duplicated} event
   * emitted. Likewise, when another job owns the options' {@link io.bullpen.Deduplication} id, that owner is
   * returned and a {@code deduplicated} event emitted. With a {@code parent} option the job becomes a
   * pending child of that existing job (see {@link FlowProducer} for whole trees); an existing job of that id is
   * linked to the parent instead (recorded as processed if it completed already), unless it belongs to another
   * parent that still exists.
   *
   * @throws io.bullpen.JobNotFoundException when the parent does not exist
   * @throws io.bullpen.JobStateException when the custom id belongs to a job of another live parent
   */
  public Job add(String name, Object data, JobOptions options) {
    JobAdder.Added added = jobs.guard(() -> singleAdds.add(JobSpec.of(name, data, options), "addJobs on " + keys));
    if (!added.absorbed()) {
      listeners.fire("onWaiting", l -> l.onWaiting(added.job()));
    }
    return added.job();
  }

  /**
   * Adds a job without waiting: validates at once (throwing {@link InvalidOptionException}), then stores it with
   * other adds made meanwhile in one script call. The future completes with the job as {@link #add} returns it,
   * or exceptionally with a {@link io.bullpen.BullpenException} (e.g. {@link io.bullpen.QueueConnectionException}).
   * Many adds in flight at once, as with {@code Promise.all} in Node, cost Redis far less than one call each.
   */
  public CompletableFuture<Job> addAsync(String name, Object data, JobOptions options) {
    CompletableFuture<JobAdder.Added> stored = singleAdds.addAsync(JobSpec.of(name, data, options));
    return stored.handle((added, error) -> {
      if (error != null) {
        RuntimeException translated = RedisCalls.translate(error, "addJobs on " + keys);
        if (ListeningJobBackend.isRedisFailure(translated)) {
          listeners.fire("onError", l -> l.onError(translated));
        }
        throw translated;
      }
      if (!added.absorbed()) {
        listeners.fire("onWaiting", l -> l.onWaiting(added.job()));
      }
      return (Job) added.job();
    });
  }

  /**
   * Adds every job in one atomic script call: all of them are stored (duplicates of custom ids excepted) or, on
   * invalid input, none. Returns the jobs in the order given.
   */
  public List<Job> addBulk(List<JobSpec> specs) {
    if (specs == null) {
      throw new InvalidOptionException("jobs", null, "the list of jobs must not be null");
    }
    List<JobAdder.Added> added = jobs.guard(() -> adder.add(new ArrayList<>(specs), true));
    List<Job> result = new ArrayList<>(added.size());
    for (JobAdder.Added a : added) {
      result.add(a.job());
      if (!a.absorbed()) {
        listeners.fire("onWaiting", l -> l.onWaiting(a.job()));
      }
    }
    return result;
  }

  /**
   * Adds a job that runs at {@code at} (a delayed job due then; right away when {@code at} is not in the future).
   * Cancel it with {@link #cancelDelayed} while it has not come due.
   *
   * @param options null for the queue's defaults; must not set {@code delay}
   */
  public Job scheduleAt(String name, Object data, Instant at, JobOptions options) {
    if (at == null) {
      throw new InvalidOptionException("at", null, "the time to run at is required");
    }
    if (options != null && options.delay() > 0) {
      throw new InvalidOptionException("options.delay", options.delay(), "cannot be combined with a time to run at");
    }
    JobOptions given = options == null ? JobOptions.defaults() : options;
    long from = given.timestamp().orElseGet(this.options.clock()::millis);
    long delay = Math.max(0, at.toEpochMilli() - from);
    return add(name, data, given.toBuilder().delay(delay).build());
  }

  /**
   * Cancels a delayed job that has not come due: it is removed (with a {@code removed} event) and true returned.
   * False when the job is no longer delayed (it was promoted, runs or finished) or does not exist; atomic, so a
   * job is either cancelled or runs, never both.
   *
   * @throws io.bullpen.JobStateException for a job scheduler's pending run (remove the scheduler instead)
   */
  public boolean cancelDelayed(String jobId) {
    boolean removed = jobs.guard(() -> schedulers.cancelDelayed(jobId));
    if (removed) {
      listeners.fire("onRemoved", l -> l.onRemoved(jobId));
    }
    return removed;
  }

  // ---- job schedulers ----------------------------------------------------------------------------------------

  /**
   * Creates job scheduler {@code schedulerId}, or replaces its definition, and returns its next run: a job with id
   * {@code repeat:<schedulerId>:<run time in ms>}, delayed until then. Workers (Java or Node) create each
   * following run when they start the current one. A pending run that has not started is replaced; an
   * {@code every} scheduler whose interval is unchanged keeps its slot.
   *
   * <pre>{@code
   * queue.upsertJobScheduler("nightly-report", Repeat.cron("0 30 2 * * *").tz("Europe/Berlin").build(),
   *     JobSpec.of("report", new ReportRequest("daily")));
   * }</pre>
   *
   * @param template name, data and options of every run; null for name = schedulerId and no data. Options are
   *     merged over the queue's defaults and must not set {@code jobId} or {@code delay}.
   * @throws InvalidOptionException for a bad id, an end date in the past, a pattern that never runs, or template
   *     options the scheduler sets itself
   */
  public Job upsertJobScheduler(String schedulerId, Repeat repeat, JobSpec template) {
    String name = template == null || template.name() == null ? schedulerId : template.name();
    String data = Json.dataToJson(template == null ? null : template.data(), "template.data");
    JobOptions given = template == null || template.options() == null ? JobOptions.defaults() : template.options();
    JobOptions merged = given.withDefaults(options.defaultJobOptions());
    JobSchedulerStore.Written written = jobs.guard(() -> schedulers.upsert(schedulerId, repeat, name, data, merged));
    Job job = new RedisJob(written.jobId(), keys.queueName(), written.fields(), jobs, null);
    listeners.fire("onWaiting", l -> l.onWaiting(job));
    return job;
  }

  /** The job scheduler, if it exists. */
  public Optional<JobScheduler> getJobScheduler(String schedulerId) {
    return jobs.guard(() -> schedulers.get(schedulerId)).map(s -> new JobScheduler(s.id(), s.next(), s.fields()));
  }

  /**
   * A page of the job schedulers ordered by their next run, soonest first when {@code asc}; {@code start} and
   * {@code end} are inclusive positions, -1 for the last.
   */
  public List<JobScheduler> getJobSchedulers(long start, long end, boolean asc) {
    return jobs.guard(() -> schedulers.list(start, end, asc)).stream()
        .map(s -> new JobScheduler(s.id(), s.next(), s.fields())).toList();
  }

  /** Every job scheduler, soonest next run first. */
  public List<JobScheduler> getJobSchedulers() {
    return getJobSchedulers(0, -1, true);
  }

  public long getJobSchedulersCount() {
    return jobs.guard(schedulers::count);
  }

  /**
   * Deletes the job scheduler; its pending run goes too if it is still delayed (one already waiting runs, but
   * creates no successor). False when there was no such scheduler.
   */
  public boolean removeJobScheduler(String schedulerId) {
    return jobs.guard(() -> schedulers.remove(schedulerId));
  }

  /**
   * Runs the job scheduler's template once right now, in addition to its schedule (which is left as it is).
   * Returns the added job (an ordinary job with a counter id); empty when there is no such scheduler.
   */
  public Optional<Job> triggerJobScheduler(String schedulerId) {
    Optional<Job> job = jobs.guard(() -> schedulers.trigger(schedulerId))
        .map(w -> new RedisJob(w.jobId(), keys.queueName(), w.fields(), jobs, null));
    job.ifPresent(j -> listeners.fire("onWaiting", l -> l.onWaiting(j)));
    return job;
  }

  // ---- reading -----------------------------------------------------------------------------------------------

  /** The job as stored now, or empty when no job has that id. */
  public Optional<Job> getJob(String jobId) {
    return jobs.guard(() -> backend.getJob(jobId, jobs));
  }

  /**
   * Jobs in {@code states} (all states when empty), BullMQ paging: each state is paged on its own from
   * {@code start} to {@code end} (inclusive, -1 for the last); {@code asc} lists oldest first.
   */
  public List<Job> getJobs(Set<JobState> states, long start, long end, boolean asc) {
    return jobs.guard(() -> reader.getJobs(states, start, end, asc));
  }

  /** Job counts per state; with no argument, every state (waiting counts a paused queue's jobs too). */
  public Map<JobState, Long> getJobCounts(JobState... states) {
    return jobs.guard(() -> reader.getJobCounts(states));
  }

  /** Where the job is now; {@link JobState#UNKNOWN} when it is nowhere (or does not exist). */
  public JobState getJobState(String jobId) {
    return jobs.getState(jobId);
  }

  /** A page of the job's log lines (oldest first when {@code asc}) with the total number kept. */
  public JobLogs getJobLogs(String jobId, long start, long end, boolean asc) {
    return jobs.guard(() -> reader.getJobLogs(jobId, start, end, asc));
  }

  /** All of the job's log lines, oldest first. */
  public JobLogs getJobLogs(String jobId) {
    return getJobLogs(jobId, 0, -1, true);
  }

  public boolean isPaused() {
    return jobs.guard(reader::isPaused);
  }

  // ---- controlling -------------------------------------------------------------------------------------------

  /** Stops workers (Node and Java) from fetching; jobs stay where they are and may still be added. */
  public void pause() {
    jobs.guardRun(maintenance::pause);
    listeners.fire("onPaused", QueueListener::onPaused);
  }

  /** Lets workers fetch again; a {@code paused} list left by a BullMQ 5 writer is moved into wait. */
  public void resume() {
    jobs.guardRun(maintenance::resume);
    listeners.fire("onResumed", QueueListener::onResumed);
  }

  /** Deletes every waiting and prioritized job, and delayed ones when {@code includeDelayed}. No events. */
  public void drain(boolean includeDelayed) {
    jobs.guardRun(() -> maintenance.drain(includeDelayed));
  }

  /**
   * Deletes jobs of {@code state} older than {@code grace} (by finish time for completed/failed, else by
   * creation or start time), at most {@code limit} (0 for no limit); returns their ids. Supported states:
   * COMPLETED, FAILED, WAITING, ACTIVE (only jobs no worker holds), DELAYED, PRIORITIZED.
   */
  public List<String> clean(Duration grace, int limit, JobState state) {
    List<String> ids = jobs.guard(() -> maintenance.clean(grace, limit, state));
    listeners.fire("onCleaned", l -> l.onCleaned(ids, state));
    return ids;
  }

  /**
   * Deletes the queue and every job in it. Pauses the queue first; unless {@code force}, refuses with a
   * {@link io.bullpen.JobStateException} while a job is active (the queue then stays paused).
   */
  public void obliterate(boolean force) {
    pause();
    jobs.guardRun(() -> maintenance.obliterate(force));
  }

  /** Removes the job (and its children); false when it does not exist or a worker holds it. */
  public boolean remove(String jobId) {
    return jobs.remove(jobId);
  }

  /**
   * Moves failed or completed jobs finished at or before {@code timestamp} back to wait, {@code count} per script
   * call, until none remain; returns how many moved.
   */
  public long retryJobs(JobState state, int count, long timestamp) {
    return jobs.guard(() -> maintenance.retryJobs(state, count, timestamp));
  }

  /** Moves every failed job back to wait, 1000 per call. */
  public long retryJobs() {
    return retryJobs(JobState.FAILED, 1000, options.clock().millis());
  }

  /** Moves a delayed job to wait (or prioritized) now. */
  public void promote(String jobId) {
    jobs.promote(jobId);
  }

  /** Moves every delayed job to wait, {@code count} per script call; returns how many moved. */
  public long promoteJobs(int count) {
    return jobs.guard(() -> maintenance.promoteJobs(count));
  }

  /**
   * Sets a job's priority; a waiting job is re-placed (to the front of its priority, or of wait for 0, with
   * {@code lifo}).
   */
  public void changePriority(String jobId, int priority, boolean lifo) {
    jobs.guardRun(() -> backend.changePriority(jobId, priority, lifo));
  }

  /** Gives a delayed job a new delay counted from now. */
  public void changeDelay(String jobId, long delayMillis) {
    jobs.guardRun(() -> backend.changeDelay(jobId, delayMillis));
  }

  /** Replaces a job's data (serialised like {@link #add}'s). */
  public void updateData(String jobId, Object data) {
    jobs.updateData(jobId, Json.dataToJson(data, "data"));
  }

  // ---- leases (see docs/leases.md) -----------------------------------------------------------------------------

  /**
   * Claims up to {@code maxJobs} runnable jobs for {@code ownerToken} in one atomic script: wait first, then
   * prioritized, after promoting due delayed jobs, and only as many as the queue's pause flag, global concurrency
   * and rate limit allow. Each job moves to active exactly as a worker's fetch moves it (its lock = the owner
   * token with a TTL of {@code leaseDuration}, an {@code active} event, {@code processedOn}, {@code ats}) and is
   * returned with its data. Settle it with {@link #ack}, {@link #fail} or {@link #abandon} before the lease ends,
   * or {@link #extend} the lease; a lease left to expire is reclaimed by the queue's stalled check (run by every
   * Java or Node worker of the queue) and the job runs again.
   *
   * @return the claimed jobs, oldest first; empty when nothing is runnable (or paused, rate limited, at
   *     global concurrency)
   */
  public List<Job> claim(String ownerToken, Duration leaseDuration, int maxJobs) {
    if (leaseDuration == null) {
      throw new InvalidOptionException("leaseDuration", null, "is required");
    }
    return List.copyOf(jobs.guard(() -> leases.claim(ownerToken, leaseDuration.toMillis(), maxJobs)));
  }

  /**
   * Completes jobs held by {@code ownerToken}, each with its result (serialised like a processor's; null
   * stores JSON null), emitting {@code completed} and applying each job's own {@code removeOnComplete}. Jobs
   * the owner no longer holds are refused and the others complete.
   */
  public LeaseResult ack(String ownerToken, Map<String, ?> results) {
    if (results == null) {
      throw new InvalidOptionException("results", null, "must map job ids to results");
    }
    Map<String, String> json = new LinkedHashMap<>();
    results.forEach((id, value) -> json.put(id, Json.resultToJson(value)));
    return leaseResult(jobs.guard(() -> leases.ack(ownerToken, json)));
  }

  /** Completes jobs held by {@code ownerToken} with a null result. */
  public LeaseResult ack(String ownerToken, Collection<String> jobIds) {
    Map<String, Object> results = new LinkedHashMap<>();
    for (String id : requireIds(jobIds)) {
      results.put(id, null);
    }
    return ack(ownerToken, results);
  }

  /**
   * Fails jobs held by {@code ownerToken} with a worker failure's rules: {@code failedReason} and
   * {@code stacktrace} written; retried after the job's backoff (or {@link LeaseFailure#retryAfter}) while
   * attempts remain and the error is not an {@link io.bullpen.UnrecoverableError}, else failed for good with
   * {@code failed} (and {@code retries-exhausted}) events and the job's {@code removeOnFail}.
   */
  public LeaseResult fail(String ownerToken, List<LeaseFailure> failures) {
    if (failures == null) {
      throw new InvalidOptionException("failures", null, "must be a list of failures");
    }
    return leaseResult(jobs.guard(() -> leases.fail(ownerToken, failures)));
  }

  /** Puts jobs held by {@code ownerToken} back at the front of wait (or of their priority), using no attempt. */
  public LeaseResult abandon(String ownerToken, Collection<String> jobIds) {
    List<String> ids = requireIds(jobIds);
    return leaseResult(jobs.guard(() -> leases.abandon(ownerToken, ids)));
  }

  /** Renews the leases of jobs held by {@code ownerToken} to {@code duration} from now. */
  public LeaseResult extend(String ownerToken, Collection<String> jobIds, Duration duration) {
    List<String> ids = requireIds(jobIds);
    if (duration == null) {
      throw new InvalidOptionException("duration", null, "is required");
    }
    return leaseResult(jobs.guard(() -> leases.extend(ownerToken, ids, duration.toMillis())));
  }

  private static List<String> requireIds(Collection<String> jobIds) {
    if (jobIds == null) {
      throw new InvalidOptionException("jobIds", null, "must be a collection of job ids");
    }
    return new ArrayList<>(jobIds);
  }

  private static LeaseResult leaseResult(LeaseOperations.Outcome outcome) {
    List<String> done = new ArrayList<>();
    Map<String, LeaseResult.Refusal> refused = new LinkedHashMap<>();
    for (int i = 0; i < outcome.ids().size(); i++) {
      long code = i < outcome.codes().length ? outcome.codes()[i] : 0;
      if (code >= 0) {
        done.add(outcome.ids().get(i));
      } else {
        refused.put(outcome.ids().get(i), LeaseOperations.refusal(code));
      }
    }
    return LeaseResult.of(done, refused);
  }

  // ---- flow control ------------------------------------------------------------------------------------------

  /** At most {@code concurrency} jobs of this queue run at once across all workers, Node and Java (meta). */
  public void setGlobalConcurrency(int concurrency) {
    jobs.guardRun(() -> limits.setConcurrency(concurrency));
  }

  public void removeGlobalConcurrency() {
    jobs.guardRun(limits::removeConcurrency);
  }

  public OptionalInt getGlobalConcurrency() {
    return jobs.guard(limits::concurrency);
  }

  /**
   * At most {@code max} jobs started per {@code durationMillis} (a fixed window) across all workers; overrides
   * each worker's own limiter {@code max}, as in BullMQ.
   */
  public void setGlobalRateLimit(int max, long durationMillis) {
    Limiter limit = new Limiter(max, durationMillis);
    jobs.guardRun(() -> limits.setRateLimit(limit));
  }

  public void removeGlobalRateLimit() {
    jobs.guardRun(limits::removeRateLimit);
  }

  public Optional<Limiter> getGlobalRateLimit() {
    return jobs.guard(limits::rateLimit);
  }

  /**
   * Stops every worker that has a rate limit (its own limiter or the global one) from starting jobs for
   * {@code millis} (BullMQ's manual rate limit).
   */
  public void rateLimit(long millis) {
    jobs.guardRun(() -> limits.rateLimitFor(millis));
  }

  /** Milliseconds until the queue's rate-limit window reopens, 0 when it is open (BullMQ's getRateLimitTtl). */
  public long getRateLimitTtl() {
    return Math.max(0, jobs.guard(() -> limits.rateLimitTtl(0)));
  }

  /**
   * Cancels a job wherever it runs: the worker running it (in any process) signals its processor through
   * {@link Job#cancellation()}; a job not started yet fails with {@code reason} as soon as a worker takes it.
   * The job fails with {@code reason} and is not retried. Returns false when the job has finished already.
   *
   * @throws io.bullpen.JobNotFoundException when there is no such job
   */
  public boolean cancelJob(String jobId, String reason) {
    return cancelJob(jobId, reason, false);
  }

  /** As {@link #cancelJob(String, String)}; with {@code retry} the job is retried when attempts remain. */
  public boolean cancelJob(String jobId, String reason, boolean retry) {
    return jobs.guard(() -> backend.cancelJob(jobId, reason, retry));
  }

  /**
   * Limits of one job group (jobs added with {@code JobOptions.builder().group(id)}), enforced atomically by
   * every Bullpen worker of the queue; replaces the group's previous limits.
   */
  public void setGroupLimits(String groupId, GroupLimits limits) {
    if (groupId == null) {
      throw new InvalidOptionException("groupId", null, "must not be null (use setDefaultGroupLimits)");
    }
    jobs.guardRun(() -> groups.set(groupId, limits));
  }

  /** Limits of every group that has none of its own. */
  public void setDefaultGroupLimits(GroupLimits limits) {
    jobs.guardRun(() -> groups.set(null, limits));
  }

  public Optional<GroupLimits> getGroupLimits(String groupId) {
    if (groupId == null) {
      throw new InvalidOptionException("groupId", null, "must not be null");
    }
    return jobs.guard(() -> groups.get(groupId));
  }

  public Optional<GroupLimits> getDefaultGroupLimits() {
    return jobs.guard(() -> groups.get(null));
  }

  /** Removes the group's own limits (the defaults then apply). */
  public void removeGroupLimits(String groupId) {
    if (groupId == null) {
      throw new InvalidOptionException("groupId", null, "must not be null");
    }
    jobs.guardRun(() -> groups.remove(groupId));
  }

  public void removeDefaultGroupLimits() {
    jobs.guardRun(() -> groups.remove(null));
  }

  /** Jobs of the group waiting for their turn. */
  public long getGroupWaitingCount(String groupId) {
    return jobs.guard(() -> groups.waitingCount(groupId));
  }

  /**
   * Names the queue (same prefix) that receives a copy of every job of this queue that fails for good (attempts
   * exhausted, unrecoverable, stalled too often; not cancelled): the copy sits in its {@code failed} set with the
   * job's data, options, attempts, stack traces and log, plus {@code dlsrc} (this queue), {@code dlid} (the job
   * id), {@code dlreason} and {@code dlat}. Java workers do the copying; Node workers do not.
   */
  public void setDeadLetterQueue(String deadLetterQueue) {
    jobs.guardRun(() -> deadLetters.set(deadLetterQueue));
  }

  public void removeDeadLetterQueue() {
    jobs.guardRun(deadLetters::remove);
  }

  public Optional<String> getDeadLetterQueue() {
    return jobs.guard(deadLetters::get);
  }

  /**
   * Moves this queue's dead letters back, oldest first, at most {@code max}: a job still in {@code failed} goes
   * back to wait with its attempt counters reset; a job since removed is created again under its id. Returns how
   * many were replayed.
   *
   * @throws InvalidOptionException when no dead-letter queue is set
   */
  public long replayDeadLetters(long max) {
    return jobs.guard(() -> deadLetters.replay(max));
  }

  /** Replays every dead letter of this queue. */
  public long replayDeadLetters() {
    return replayDeadLetters(Long.MAX_VALUE);
  }

  /** The id of the job owning deduplication id {@code deduplicationId}, if one does. */
  public Optional<String> getDeduplicationJobId(String deduplicationId) {
    requireDedupId(deduplicationId);
    return Optional.ofNullable(jobs.guard(() -> deduplications.deduplicationOwner(deduplicationId)));
  }

  /** Frees a deduplication id so the next add with it is stored; returns whether it was owned. */
  public boolean removeDeduplicationKey(String deduplicationId) {
    requireDedupId(deduplicationId);
    return jobs.guard(() -> deduplications.removeDeduplicationKey(deduplicationId));
  }

  private static void requireDedupId(String deduplicationId) {
    if (deduplicationId == null || deduplicationId.isEmpty()) {
      throw new InvalidOptionException("deduplicationId", deduplicationId, "must be a non-empty string");
    }
  }

  // ---- listeners and lifecycle -------------------------------------------------------------------------------

  public void addListener(QueueListener listener) {
    if (listener == null) {
      throw new InvalidOptionException("listener", null, "must not be null");
    }
    listeners.add(listener);
  }

  public boolean removeListener(QueueListener listener) {
    return listeners.remove(listener);
  }

  /** Closes the Redis connection; jobs this queue returned can no longer act. Calling it again does nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        connection.close();
      } finally {
        RedisConnections.shutdown(client);
      }
    }
  }

  @Override
  public String toString() {
    return "Queue{" + keys.qualifiedName() + "}";
  }
}
