package io.bullpen.redis;

import io.bullpen.AsyncProcessor;
import io.bullpen.BullpenException;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.Processor;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.internal.settle.BatchScripts;
import io.bullpen.redis.internal.settle.CompletionBatcher;
import io.bullpen.redis.internal.settle.FailurePlanner;
import io.bullpen.redis.internal.worker.FetchLoop;
import io.bullpen.redis.internal.worker.CancelSubscriber;
import io.bullpen.redis.internal.scheduling.JobSchedulerStore;
import io.bullpen.redis.internal.worker.JobRunner;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.job.RedisJobBackend;
import io.bullpen.redis.internal.worker.RunningAttempts;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.redis.internal.connection.WorkerConnections;
import io.bullpen.redis.internal.worker.WorkerDuties;
import io.bullpen.redis.internal.worker.WorkerEvents;
import io.bullpen.redis.internal.settle.WorkerScripts;
import io.bullpen.redis.internal.worker.WorkerState;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes jobs from one queue and runs them through a processor, with BullMQ 6's semantics, so Java and Node
 * workers can share a queue: locks renewed while a job runs, retries with BullMQ's backoff formulas, stalled
 * jobs recovered, keep policies applied when jobs finish.
 *
 * <pre>{@code
 * Processor send = job -> mailer.send(job.data(Email.class));
 * try (Worker worker = new Worker("emails", send,
 *     WorkerOptions.builder().redis(RedisConfig.of("redis://127.0.0.1:6379")).concurrency(4).build())) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Processors that return a {@code CompletionStage} use {@link #async(String, AsyncProcessor, WorkerOptions)}.
 *
 * <p>A processor's exception fails the attempt (retried while attempts remain, unless it is an
 * {@link io.bullpen.UnrecoverableError}); {@link io.bullpen.RateLimitError} returns the job to wait without using an
 * attempt. Nothing a processor or listener throws stops the worker, and the worker keeps trying while Redis is
 * unreachable.
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final String queueName;
  private final WorkerOptions options;
  private final String id = UUID.randomUUID().toString();
  private final AtomicLong tokenCounter = new AtomicLong();
  private final WorkerEvents events;
  private final WorkerState state;
  private final WorkerConnections connections;
  private final WorkerScripts scripts;
  private final WorkerDuties duties;
  private final ExecutorService ownedExecutor;
  private final FetchLoop fetchLoop;
  private final JobRunner jobRunner;
  private final RunningAttempts attempts;
  private final CancelSubscriber cancelSubscriber;
  private final Object lifecycle = new Object();
  private Thread loopThread;
  private boolean closed;

  /** A worker running {@code processor} on the worker's executor for each job of {@code queueName}. */
  public Worker(String queueName, Processor processor, WorkerOptions options) {
    this(queueName, options, synchronous(Objects.requireNonNull(processor, "processor")));
  }

  /**
   * A worker for processors that are asynchronous already; a job's slot is held until its stage completes.
   * A factory rather than a constructor overload, so that {@code new Worker(queue, job -> ..., options)} with an
   * untyped lambda always means a {@link Processor}.
   */
  public static Worker async(String queueName, AsyncProcessor processor, WorkerOptions options) {
    return new Worker(queueName, options, asynchronous(Objects.requireNonNull(processor, "processor")));
  }

  private Worker(String queueName, WorkerOptions options, Function<Job, CompletionStage<?>> processor) {
    if (options == null) {
      throw new InvalidOptionException("options", null, "are required");
    }
    QueueKeys keys = new QueueKeys(options.prefix(), queueName);
    this.queueName = queueName;
    this.options = options;
    this.events = new WorkerEvents(queueName);
    this.state = new WorkerState(options.concurrency());
    long commandTimeout = options.redis().commandTimeout().toMillis();
    Duration longestBlock = options.drainDelay().compareTo(Duration.ofSeconds(10)) > 0
        ? options.drainDelay() : Duration.ofSeconds(10);
    this.connections = new WorkerConnections(options.redis(), longestBlock,
        keys.workerClientName(options.name().orElse(null)));
    ScriptRunner runner = new ScriptRunner(connections.commands().async());
    this.scripts = new WorkerScripts(keys, runner, commandTimeout, options.lockDuration().toMillis(),
        options.limiter().orElse(null), workerIdentity(options));
    this.duties = new WorkerDuties(connections, keys, options, scripts, state, events, "bullpen-worker-" + queueName);
    this.ownedExecutor = options.executor().isPresent() ? null : processorPool(queueName, options.concurrency());
    Executor executor = options.executor().orElse(ownedExecutor);
    BatchScripts batch = new BatchScripts(keys, runner, commandTimeout, options.limiter().orElse(null),
        workerIdentity(options));
    this.fetchLoop = new FetchLoop(scripts, batch, options.lockDuration().toMillis(), state, duties.markerWaiter(),
        events, this::nextToken, options.clock(), options.maximumRateLimitDelay().toMillis());
    RedisJobBackend backend = new RedisJobBackend(keys, runner, commandTimeout, options.clock());
    this.attempts = new RunningAttempts("bullpen-worker-" + queueName + "-logs", backend::addLogs, events::error,
        options.clock()::millis);
    this.cancelSubscriber = new CancelSubscriber(connections::openPubSub, keys.cancelChannel(), attempts,
        events::error);
    CompletionBatcher completions = new CompletionBatcher(batch, scripts, this::nextToken,
        options.lockDuration().toMillis(), options.clock());
    this.jobRunner = new JobRunner(scripts, state, events, duties.lockRenewer(),
        new FailurePlanner(options.backoffStrategies()), executor, processor, this::nextToken, fetchLoop::observe,
        backend, completions, new JobRunner.Settings(options.removeOnComplete(), options.removeOnFail(),
            options.maxStartedAttempts(), options.clock()), attempts,
        new JobSchedulerStore(keys, runner, commandTimeout, options.clock())::addNextIteration);
    fetchLoop.setRunner(jobRunner);
    jobRunner.onEmptyFetch(fetchLoop::markDrained);
    if (options.autorun()) {
      run();
    }
  }

  /**
   * Starts fetching jobs (done by the constructor unless {@code autorun} is off).
   *
   * @throws BullpenException if the worker is running already or closed
   */
  public void run() {
    synchronized (lifecycle) {
      if (closed) {
        throw new BullpenException("worker of queue " + queueName + " is closed");
      }
      if (loopThread != null) {
        throw new BullpenException("worker of queue " + queueName + " is already running");
      }
      try {
        cancelSubscriber.start();
      } catch (RuntimeException e) {
        // Cancels then reach this worker's jobs only when it takes them (the hash carries the cancel).
        events.error(e);
      }
      duties.start();
      loopThread = new Thread(fetchLoop, "bullpen-worker-" + queueName);
      loopThread.setDaemon(true);
      loopThread.start();
    }
  }

  /**
   * Stops taking new jobs; jobs in flight run to their end. The stalled check pauses too (delayed jobs are still
   * moved to wait when due).
   */
  public void pause() {
    duties.pause();
  }

  /** Takes jobs again after {@link #pause()}. */
  public void resume() {
    synchronized (lifecycle) {
      duties.resume(closed);
    }
  }

  public boolean isPaused() {
    return state.isPaused();
  }

  /** Whether the worker has been started and is not closing. */
  public boolean isRunning() {
    synchronized (lifecycle) {
      return loopThread != null && !closed && !state.isClosing();
    }
  }

  /**
   * Stops every worker of the queue that has a rate limit (its own or the queue's) from starting jobs for
   * {@code millis}, as BullMQ's {@code worker.rateLimit} does. Throw {@link io.bullpen.RateLimitError} from the
   * processor afterwards to hand the current job back without using an attempt.
   */
  public void rateLimit(long millis) {
    if (millis <= 0) {
      throw new InvalidOptionException("rateLimit", millis, "must be > 0 ms");
    }
    scripts.rateLimit(millis);
  }

  /**
   * Cancels job {@code jobId} if this worker is running it (BullMQ's local {@code worker.cancelJob}): its
   * processor sees {@link Job#cancellation()} cancelled, and when it stops by throwing, the job fails with
   * {@code reason} and is not retried. Returns false when this worker is not running the job. To reach whichever
   * process runs a job, use {@link Queue#cancelJob(String, String)}.
   */
  public boolean cancelJob(String jobId, String reason) {
    if (jobId == null || jobId.isEmpty()) {
      throw new InvalidOptionException("jobId", jobId, "must be a non-empty string");
    }
    return attempts.cancel(jobId, reason, false);
  }

  /** Cancels every job this worker is running; returns how many. */
  public int cancelAllJobs(String reason) {
    return attempts.cancelAll(reason);
  }

  public Worker addListener(WorkerListener listener) {
    events.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  public Worker removeListener(WorkerListener listener) {
    events.remove(listener);
    return this;
  }

  public String queueName() {
    return queueName;
  }

  public WorkerOptions options() {
    return options;
  }

  /** The unique id of this worker; lock tokens are {@code <id>:<n>}. */
  public String id() {
    return id;
  }

  /** Jobs this worker holds right now (running, or being moved to their next state). */
  public int activeCount() {
    return jobRunner.running();
  }

  /** Stops fetching, waits up to {@code closeTimeout} for jobs in flight, then releases every resource. */
  @Override
  public void close() {
    close(false);
  }

  /**
   * Closes the worker. With {@code force} it does not wait for jobs in flight: they are abandoned, keep running
   * on threads the worker no longer watches, and their jobs are recovered as stalled by the queue's workers.
   */
  public void close(boolean force) {
    Thread loop;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      loop = loopThread;
    }
    state.startClosing(force);
    duties.stopWaiting();
    if (!force && !awaitJobs()) {
      LOG.warn("worker of queue {}: {} job(s) still running after {}; closing anyway", queueName,
          state.inFlight(), options.closeTimeout());
      state.startClosing(true);
    }
    joinQuietly(loop);
    cancelSubscriber.close();
    attempts.close();
    duties.stopLockRenewal();
    if (ownedExecutor != null) {
      if (force || state.inFlight() > 0) {
        ownedExecutor.shutdownNow();
      } else {
        ownedExecutor.shutdown();
      }
    }
    try {
      connections.close();
    } catch (RuntimeException e) {
      LOG.debug("closing the Redis connections of worker {} failed", id, e);
    }
    events.closed();
  }

  private boolean awaitJobs() {
    try {
      return state.awaitIdle(options.closeTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void joinQuietly(Thread thread) {
    if (thread == null) {
      return;
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The worker name scripts write as {@code pb}, followed by the worker's capabilities, each after a newline. */
  private static String workerIdentity(WorkerOptions options) {
    StringBuilder identity = new StringBuilder(options.name().orElse(""));
    for (String capability : options.capabilities()) {
      identity.append('\n').append(capability);
    }
    return identity.length() == 0 ? null : identity.toString();
  }

  private String nextToken() {
    return id + ":" + tokenCounter.incrementAndGet();
  }

  private static Function<Job, CompletionStage<?>> synchronous(Processor processor) {
    return job -> {
      try {
        return CompletableFuture.completedFuture(processor.process(job));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    };
  }

  private static Function<Job, CompletionStage<?>> asynchronous(AsyncProcessor processor) {
    return processor::process;
  }

  private static ExecutorService processorPool(String queueName, int threads) {
    AtomicInteger counter = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "bullpen-" + queueName + "-processor-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public String toString() {
    return "Worker{" + queueName + ", id=" + id + (options.name().isPresent() ? ", name=" + options.name().get() : "")
        + "}";
  }
}
