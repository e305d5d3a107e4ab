package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.event.QueueListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The producer side of one queue (BullMQ's {@code Queue}): adds jobs, reads them, and controls the queue. Jobs
 * it writes are indistinguishable from BullMQ 6's, so Node and Java workers can process them. Bullpen's own
 * groups of operations sit behind views: {@link #leases()}, {@link #schedulers()}, {@link #limits()} and
 * {@link #deadLetters()}.
 *
 * <pre>{@code
 * try (Queue queue = new Queue("mail", QueueOptions.of(RedisConfig.of("redis://127.0.0.1:6379")))) {
 *   Job job = queue.add("welcome", new Welcome("ann@example.com"), JobOptions.builder().attempts(3).build());
 *   CompletableFuture<Map<JobState, Long>> counts = queue.getJobCountsAsync();
 * }
 * }</pre>
 *
 * <p>Thread-safe. Uses one Redis connection: its own, closed by {@link #close()}, or its {@link RedisConnector}'s.
 * On a Redis Cluster the queue's keys must share one slot (a hash tag in the prefix or name, e.g. {@code {bull}}),
 * which the constructor checks. Every operation is one atomic Lua
 * script (batches repeat a script), with the clock of {@link QueueOptions#clock()}. Every operation that talks to
 * Redis has a blocking form and an {@code …Async} form returning a {@link CompletableFuture}, which completes
 * exceptionally with the exception the blocking form throws. Failures: bad arguments throw
 * {@link InvalidOptionException} at once, before anything is sent, in both forms; Redis trouble is a
 * {@link io.bullpen.QueueConnectionException} within the configured command timeout; a job that is missing or in
 * the wrong state is a {@link io.bullpen.JobNotFoundException} or {@link io.bullpen.JobStateException}. Callbacks
 * on the futures may run on a Redis I/O thread: do not block there.
 */
public final class Queue extends QueueGetters implements AutoCloseable {
  private final Leases leases;
  private final JobSchedulers schedulers;
  private final Limits limits;
  private final DeadLetters deadLetters;
  private final QueueIntegrity integrity;

  /**
   * Connects to Redis and writes the queue's meta fields {@code opts.maxLenEvents} and {@code version} (others
   * are left alone).
   *
   * @throws InvalidOptionException for a bad name or missing options
   * @throws io.bullpen.QueueConnectionException when Redis cannot be reached
   */
  public Queue(String name, QueueOptions options) {
    super(QueueOperations.connect(name, options));
    this.leases = new Leases(ops);
    this.schedulers = new JobSchedulers(ops);
    this.limits = new Limits(ops);
    this.deadLetters = new DeadLetters(ops);
    this.integrity = new QueueIntegrity(ops);
  }

  /** Claiming jobs under a lease and settling them yourself (see docs/leases.md). */
  public Leases leases() {
    return leases;
  }

  /** Job schedulers (repeatable jobs) and timers (one job at an instant). */
  public JobSchedulers schedulers() {
    return schedulers;
  }

  /** Global and per-group rate limits and concurrency, and deduplication ids. */
  public Limits limits() {
    return limits;
  }

  /** Where jobs that fail for good are copied, and replaying them. */
  public DeadLetters deadLetters() {
    return deadLetters;
  }

  /** The integrity check of the queue's keys, and its safe repairs (after an incident; see docs/cli.md). */
  public QueueIntegrity integrity() {
    return integrity;
  }

  // ---- adding ------------------------------------------------------------------------------------------------

  /** Adds a job with the queue's default options. */
  public Job add(String name, Object data) {
    return ops.add(name, data, null).join();
  }

  /** As {@link #add(String, Object)}, without blocking. */
  public CompletableFuture<Job> addAsync(String name, Object data) {
    return ops.add(name, data, null).async();
  }

  /**
   * Adds a job. {@code data} is serialised with Jackson ({@link RawJson} passes JSON text through; null stores
   * {@code {}}); {@code options} (null for none) are merged over the queue's defaults. When a job with the same
   * custom {@code jobId} exists, nothing is written: the existing job is returned and a {@code duplicated} event
   * emitted; likewise the owner of the options' {@link io.bullpen.Deduplication} id (a {@code deduplicated}
   * event). With a {@code parent} option the job becomes a pending child of that existing job (see
   * {@link FlowProducer} for whole trees). Adds in flight at once, from several threads or as many futures, share
   * script calls.
   *
   * @throws io.bullpen.JobNotFoundException when the parent does not exist
   * @throws io.bullpen.JobStateException when the custom id belongs to a job of another live parent
   */
  public Job add(String name, Object data, JobOptions options) {
    return ops.add(name, data, options).join();
  }

  /** As {@link #add(String, Object, JobOptions)}, without blocking; keep many in flight, as with Promise.all. */
  public CompletableFuture<Job> addAsync(String name, Object data, JobOptions options) {
    return ops.add(name, data, options).async();
  }

  /**
   * Adds every job, in the order given, in atomic chunks of {@link QueueOptions#bulkChunkSize()} jobs (1,000 by
   * default, and at most 4 MiB of data), one script call each, so that a large bulk does not hold Redis for long.
   * Atomic per chunk, not as a whole: invalid input is refused before anything is sent (then nothing is added),
   * but when a later chunk fails (Redis away, a missing parent) the earlier ones stay added, and other clients'
   * adds may come between two chunks (so the ids of one bulk need not be consecutive).
   */
  public List<Job> addBulk(List<JobSpec> specs) {
    return ops.addBulk(specs).join();
  }

  /** As {@link #addBulk}, without blocking. */
  public CompletableFuture<List<Job>> addBulkAsync(List<JobSpec> specs) {
    return ops.addBulk(specs).async();
  }

  // ---- controlling -------------------------------------------------------------------------------------------

  /** Stops workers (Node and Java) from fetching; jobs stay where they are and may still be added. */
  public void pause() {
    ops.pause().join();
  }

  /** As {@link #pause}, without blocking. */
  public CompletableFuture<Void> pauseAsync() {
    return ops.pause().async();
  }

  /** Lets workers fetch again; a {@code paused} list left by a BullMQ 5 writer is moved into wait. */
  public void resume() {
    ops.resume().join();
  }

  /** As {@link #resume}, without blocking. */
  public CompletableFuture<Void> resumeAsync() {
    return ops.resume().async();
  }

  /** Deletes every waiting and prioritized job, and delayed ones when {@code includeDelayed}. No events. */
  public void drain(boolean includeDelayed) {
    ops.drain(includeDelayed).join();
  }

  /** As {@link #drain}, without blocking. */
  public CompletableFuture<Void> drainAsync(boolean includeDelayed) {
    return ops.drain(includeDelayed).async();
  }

  /**
   * Deletes jobs of {@code state} older than {@code grace} (by finish time for completed/failed, else by
   * creation or start time), at most {@code limit} (0 for no limit); returns their ids. Supported states:
   * COMPLETED, FAILED, WAITING, ACTIVE (only jobs no worker holds), DELAYED, PRIORITIZED.
   */
  public List<String> clean(Duration grace, int limit, JobState state) {
    return ops.clean(grace, limit, state).join();
  }

  /** As {@link #clean}, without blocking. */
  public CompletableFuture<List<String>> cleanAsync(Duration grace, int limit, JobState state) {
    return ops.clean(grace, limit, state).async();
  }

  /**
   * Deletes the queue and every job in it. Pauses the queue first; unless {@code force}, refuses with a
   * {@link io.bullpen.JobStateException} while a job is active (the queue then stays paused).
   */
  public void obliterate(boolean force) {
    ops.pause().join();
    ops.obliterate(force).join();
  }

  /** As {@link #obliterate}, without blocking. */
  public CompletableFuture<Void> obliterateAsync(boolean force) {
    return ops.pause().async().thenCompose(paused -> ops.obliterate(force).async());
  }

  /** Removes the job (and its children); false when it does not exist or a worker holds it. */
  public boolean remove(String jobId) {
    return ops.remove(jobId).join();
  }

  /** As {@link #remove}, without blocking. */
  public CompletableFuture<Boolean> removeAsync(String jobId) {
    return ops.remove(jobId).async();
  }

  /** Moves every failed job back to wait, 1000 per script call; returns how many moved. */
  public long retryJobs() {
    return ops.retryJobs(JobState.FAILED, 1000, ops.options.clock().millis()).join();
  }

  /** As {@link #retryJobs()}, without blocking. */
  public CompletableFuture<Long> retryJobsAsync() {
    return ops.retryJobs(JobState.FAILED, 1000, ops.options.clock().millis()).async();
  }

  /**
   * Moves failed or completed jobs finished at or before {@code timestamp} back to wait, {@code count} per script
   * call, until none remain; returns how many moved.
   */
  public long retryJobs(JobState state, int count, long timestamp) {
    return ops.retryJobs(state, count, timestamp).join();
  }

  /** As {@link #retryJobs(JobState, int, long)}, without blocking. */
  public CompletableFuture<Long> retryJobsAsync(JobState state, int count, long timestamp) {
    return ops.retryJobs(state, count, timestamp).async();
  }

  /** Moves a delayed job to wait (or prioritized) now. */
  public void promote(String jobId) {
    ops.promote(jobId).join();
  }

  /** As {@link #promote}, without blocking. */
  public CompletableFuture<Void> promoteAsync(String jobId) {
    return ops.promote(jobId).async();
  }

  /** Moves every delayed job to wait, {@code count} per script call; returns how many moved. */
  public long promoteJobs(int count) {
    return ops.promoteJobs(count).join();
  }

  /** As {@link #promoteJobs}, without blocking. */
  public CompletableFuture<Long> promoteJobsAsync(int count) {
    return ops.promoteJobs(count).async();
  }

  /** Sets a job's priority; a waiting job is re-placed (to the front of its priority with {@code lifo}). */
  public void changePriority(String jobId, int priority, boolean lifo) {
    ops.changePriority(jobId, priority, lifo).join();
  }

  /** As {@link #changePriority}, without blocking. */
  public CompletableFuture<Void> changePriorityAsync(String jobId, int priority, boolean lifo) {
    return ops.changePriority(jobId, priority, lifo).async();
  }

  /** Gives a delayed job a new delay counted from now. */
  public void changeDelay(String jobId, long delayMillis) {
    ops.changeDelay(jobId, delayMillis).join();
  }

  /** As {@link #changeDelay}, without blocking. */
  public CompletableFuture<Void> changeDelayAsync(String jobId, long delayMillis) {
    return ops.changeDelay(jobId, delayMillis).async();
  }

  /** Replaces a job's data (serialised like {@link #add}'s). */
  public void updateData(String jobId, Object data) {
    ops.updateData(jobId, data).join();
  }

  /** As {@link #updateData}, without blocking. */
  public CompletableFuture<Void> updateDataAsync(String jobId, Object data) {
    return ops.updateData(jobId, data).async();
  }

  /**
   * Stores a job's progress (a number, string, boolean or any JSON-serialisable object, as
   * {@link Job#updateProgress}) and emits a {@code progress} event (jobId, data) on the queue's event stream;
   * this queue's listeners hear {@link QueueListener#onProgress}. Works in any state (BullMQ's
   * {@code updateJobProgress}).
   *
   * @throws InvalidOptionException for a null progress or one Jackson cannot serialise
   * @throws io.bullpen.JobNotFoundException when there is no such job
   */
  public void updateJobProgress(String jobId, Object progress) {
    ops.updateJobProgress(jobId, progress).join();
  }

  /** As {@link #updateJobProgress}, without blocking. */
  public CompletableFuture<Void> updateJobProgressAsync(String jobId, Object progress) {
    return ops.updateJobProgress(jobId, progress).async();
  }

  /**
   * Appends a line to a job's log (read back with {@link #getJobLogs(String)}), then keeps only its newest
   * {@code keepLogs} lines; {@code 0} keeps every line, as in BullMQ. The job's own {@code keepLogs} option is not
   * applied here (as BullMQ's {@code addJobLog}). No event.
   *
   * @return the number of lines the log now holds
   * @throws InvalidOptionException for a null line or a negative {@code keepLogs}
   * @throws io.bullpen.JobNotFoundException when there is no such job
   */
  public long addJobLog(String jobId, String line, int keepLogs) {
    return ops.addJobLog(jobId, line, keepLogs).join();
  }

  /** As {@link #addJobLog}, without blocking. */
  public CompletableFuture<Long> addJobLogAsync(String jobId, String line, int keepLogs) {
    return ops.addJobLog(jobId, line, keepLogs).async();
  }

  /**
   * Cancels a job wherever it runs: the worker running it (in any process) signals its processor through
   * {@link Job#cancellation()}; a job not started yet fails with {@code reason} as soon as a worker takes it. The
   * job fails and is not retried. Returns false when it has finished already. A job operation rather than a
   * limit, so it stays on the queue (BullMQ cancels from its worker only).
   *
   * @throws io.bullpen.JobNotFoundException when there is no such job
   */
  public boolean cancelJob(String jobId, String reason) {
    return ops.cancelJob(jobId, reason, false).join();
  }

  /** As {@link #cancelJob(String, String)}, without blocking. */
  public CompletableFuture<Boolean> cancelJobAsync(String jobId, String reason) {
    return ops.cancelJob(jobId, reason, false).async();
  }

  /** As {@link #cancelJob(String, String)}; with {@code retry} the job is retried when attempts remain. */
  public boolean cancelJob(String jobId, String reason, boolean retry) {
    return ops.cancelJob(jobId, reason, retry).join();
  }

  /** As {@link #cancelJob(String, String, boolean)}, without blocking. */
  public CompletableFuture<Boolean> cancelJobAsync(String jobId, String reason, boolean retry) {
    return ops.cancelJob(jobId, reason, retry).async();
  }

  // ---- listeners and lifecycle -------------------------------------------------------------------------------

  /**
   * Hears what this queue object and its views do: after a blocking call on the caller's thread, after an
   * {@code …Async} call just before its future completes.
   */
  public void addListener(QueueListener listener) {
    if (listener == null) {
      throw new InvalidOptionException("listener", null, "must not be null");
    }
    ops.checkOpen();
    ops.listeners.add(listener);
  }

  public boolean removeListener(QueueListener listener) {
    return ops.listeners.remove(listener);
  }

  /** Closes the Redis connection; jobs this queue returned can no longer act. Calling it again does nothing. */
  @Override
  public void close() {
    ops.close();
  }

  @Override
  public String toString() {
    return "Queue{" + ops.keys.qualifiedName() + "}";
  }
}
