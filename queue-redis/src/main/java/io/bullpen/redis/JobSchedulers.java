package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.TimeLimits;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.scheduling.JobSchedulerStore;
import io.bullpen.scheduler.Repeat;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Time-driven jobs of one queue ({@code queue.schedulers()}): job schedulers, which add a job on a cron pattern
 * or a fixed interval (BullMQ's {@code upsertJobScheduler} and friends, stored as BullMQ 6 stores them, so Node
 * and Java workers continue each other's schedules), and timers, one job due at an instant that can be cancelled
 * until then. Timers live here rather than on {@link Queue} because they are Bullpen's, and sit next to the
 * schedulers in the docs; BullMQ's own delay tools ({@code delay}, {@code changeDelay}, {@code promote}) stay on
 * the queue.
 *
 * <pre>{@code
 * JobSchedulers schedulers = queue.schedulers();
 * schedulers.upsert("nightly-report", Repeat.cron("0 30 2 * * *").tz("Europe/Berlin").build(),
 *     JobSpec.of("report", new ReportRequest("daily")));
 * Job reminder = schedulers.scheduleAt("remind", Map.of("user", 42), Instant.parse("2027-01-01T09:00:00Z"), null);
 * schedulers.cancelDelayed(reminder.id());
 * }</pre>
 */
public final class JobSchedulers {
  private final QueueOperations ops;
  private final JobSchedulerStore store;

  JobSchedulers(QueueOperations ops) {
    this.ops = ops;
    this.store = new JobSchedulerStore(ops.keys, ops.scripts.runner(), ops.scripts.timeoutMillis(),
        ops.options.clock());
  }

  /**
   * Creates job scheduler {@code schedulerId}, or replaces its definition, and returns its next run: a job with id
   * {@code repeat:<schedulerId>:<run time in ms>}, delayed until then. Workers (Java or Node) create each
   * following run when they start the current one. A pending run that has not started is replaced; an
   * {@code every} scheduler whose interval is unchanged keeps its slot.
   *
   * @param template name, data and options of every run; null for name = schedulerId and no data. Options are
   *     merged over the queue's defaults and must not set {@code jobId} or {@code delay}.
   * @throws InvalidOptionException for a bad id, an end date in the past, a pattern that never runs, or template
   *     options the scheduler sets itself
   */
  public Job upsert(String schedulerId, Repeat repeat, JobSpec template) {
    return upsertCall(schedulerId, repeat, template).join();
  }

  /** As {@link #upsert}, without blocking. */
  public CompletableFuture<Job> upsertAsync(String schedulerId, Repeat repeat, JobSpec template) {
    return upsertCall(schedulerId, repeat, template).async();
  }

  private Call<Job> upsertCall(String schedulerId, Repeat repeat, JobSpec template) {
    String name = template == null || template.name() == null ? schedulerId : template.name();
    JobOptions given = template == null || template.options() == null ? JobOptions.defaults() : template.options();
    JobOptions merged = given.withDefaults(ops.options.defaultJobOptions());
    String data = ops.backend.payloads().requireWithin("template.data",
        Json.dataToJson(template == null ? null : template.data(), "template.data"), merged.sizeLimit().orElse(null));
    return ops.guard(store.upsert(schedulerId, repeat, name, data, merged)
        .map(written -> (Job) new RedisJob(written.jobId(), ops.keys.queueName(), written.fields(), ops.jobs, null))
        .onSuccess(job -> ops.listeners.fire("onWaiting", l -> l.onWaiting(job))));
  }

  /** The job scheduler, if it exists. */
  public Optional<JobScheduler> get(String schedulerId) {
    return getCall(schedulerId).join();
  }

  /** As {@link #get}, without blocking. */
  public CompletableFuture<Optional<JobScheduler>> getAsync(String schedulerId) {
    return getCall(schedulerId).async();
  }

  private Call<Optional<JobScheduler>> getCall(String schedulerId) {
    return ops.guard(store.get(schedulerId).map(found -> found.map(this::scheduler)));
  }

  /** Every job scheduler, soonest next run first. */
  public List<JobScheduler> list() {
    return listCall(0, -1, true).join();
  }

  /** As {@link #list()}, without blocking. */
  public CompletableFuture<List<JobScheduler>> listAsync() {
    return listCall(0, -1, true).async();
  }

  /**
   * A page of the job schedulers ordered by their next run, soonest first when {@code asc}; {@code start} and
   * {@code end} are inclusive positions, -1 for the last.
   */
  public List<JobScheduler> list(long start, long end, boolean asc) {
    return listCall(start, end, asc).join();
  }

  /** As {@link #list(long, long, boolean)}, without blocking. */
  public CompletableFuture<List<JobScheduler>> listAsync(long start, long end, boolean asc) {
    return listCall(start, end, asc).async();
  }

  private Call<List<JobScheduler>> listCall(long start, long end, boolean asc) {
    return ops.guard(store.list(start, end, asc).map(all -> all.stream().map(this::scheduler).toList()));
  }

  /** How many job schedulers the queue has. */
  public long count() {
    return ops.guard(store.count()).join();
  }

  /** As {@link #count}, without blocking. */
  public CompletableFuture<Long> countAsync() {
    return ops.guard(store.count()).async();
  }

  /**
   * Deletes the job scheduler; its pending run goes too if it is still delayed (one already waiting runs, but
   * creates no successor). False when there was no such scheduler.
   */
  public boolean remove(String schedulerId) {
    return ops.guard(store.remove(schedulerId)).join();
  }

  /** As {@link #remove}, without blocking. */
  public CompletableFuture<Boolean> removeAsync(String schedulerId) {
    return ops.guard(store.remove(schedulerId)).async();
  }

  /**
   * Runs the job scheduler's template once right now, in addition to its schedule (which is left as it is).
   * Returns the added job (an ordinary job with a counter id); empty when there is no such scheduler.
   */
  public Optional<Job> trigger(String schedulerId) {
    return triggerCall(schedulerId).join();
  }

  /** As {@link #trigger}, without blocking. */
  public CompletableFuture<Optional<Job>> triggerAsync(String schedulerId) {
    return triggerCall(schedulerId).async();
  }

  private Call<Optional<Job>> triggerCall(String schedulerId) {
    return ops.guard(store.trigger(schedulerId)
        .map(w -> w.map(written -> (Job) new RedisJob(written.jobId(), ops.keys.queueName(), written.fields(),
            ops.jobs, null)))
        .onSuccess(job -> job.ifPresent(j -> ops.listeners.fire("onWaiting", l -> l.onWaiting(j)))));
  }

  /**
   * A timer: adds a job that runs at {@code at} (a delayed job due then; right away when {@code at} is not in the
   * future). Cancel it with {@link #cancelDelayed} while it has not come due.
   *
   * @param at at most {@link TimeLimits#MAX_INSTANT} (2039-09-07T15:47:35.551Z), the latest due time the delayed
   *     set orders exactly
   * @param options null for the queue's defaults; must not set {@code delay}
   * @throws InvalidOptionException for a missing or too late {@code at}, naming it
   */
  public Job scheduleAt(String name, Object data, Instant at, JobOptions options) {
    return timer(name, data, at, options).join();
  }

  /** As {@link #scheduleAt}, without blocking. */
  public CompletableFuture<Job> scheduleAtAsync(String name, Object data, Instant at, JobOptions options) {
    return timer(name, data, at, options).async();
  }

  private Call<Job> timer(String name, Object data, Instant at, JobOptions options) {
    if (at == null) {
      throw new InvalidOptionException("at", null, "the time to run at is required");
    }
    if (at.isAfter(TimeLimits.MAX_INSTANT)) {
      throw new InvalidOptionException("at", at, "is after " + TimeLimits.MAX_INSTANT
          + ", the latest time the delayed set orders exactly");
    }
    if (options != null && options.delay() > 0) {
      throw new InvalidOptionException("options.delay", options.delay(), "cannot be combined with a time to run at");
    }
    JobOptions given = options == null ? JobOptions.defaults() : options;
    long from = given.timestamp().orElseGet(ops.options.clock()::millis);
    long delay = at.isBefore(Instant.EPOCH) ? 0 : Math.max(0, at.toEpochMilli() - from);
    return ops.add(name, data, given.toBuilder().delay(delay).build());
  }

  /**
   * Cancels a delayed job that has not come due (a timer or any delayed job): it is removed (with a
   * {@code removed} event) and true returned. False when the job is no longer delayed (it was promoted, runs or
   * finished) or does not exist; atomic, so a job is either cancelled or runs, never both.
   *
   * @throws io.bullpen.JobStateException for a job scheduler's pending run (remove the scheduler instead)
   */
  public boolean cancelDelayed(String jobId) {
    return cancelCall(jobId).join();
  }

  /** As {@link #cancelDelayed}, without blocking. */
  public CompletableFuture<Boolean> cancelDelayedAsync(String jobId) {
    return cancelCall(jobId).async();
  }

  private Call<Boolean> cancelCall(String jobId) {
    return ops.guard(store.cancelDelayed(jobId)).onSuccess(removed -> {
      if (removed) {
        ops.listeners.fire("onRemoved", l -> l.onRemoved(jobId));
      }
    });
  }

  private JobScheduler scheduler(JobSchedulerStore.Stored stored) {
    return new JobScheduler(stored.id(), stored.next(), stored.fields(), ops.backend.payloads());
  }
}
