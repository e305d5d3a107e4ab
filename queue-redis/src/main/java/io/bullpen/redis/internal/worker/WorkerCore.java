package io.bullpen.redis.internal.worker;

import io.bullpen.BatchOptions;
import io.bullpen.BatchProcessor;
import io.bullpen.BullpenException;
import io.bullpen.ClosedException;
import io.bullpen.InvalidOptionException;
import io.bullpen.TimeLimits;
import io.bullpen.Job;
import io.bullpen.LockLostException;
import io.bullpen.event.WorkerListener;
import io.bullpen.observe.JobObserver;
import io.bullpen.observe.WorkerInfo;
import io.bullpen.redis.WorkerHealth;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.redis.internal.connection.ConnectionScope;
import io.bullpen.redis.internal.connection.RedisLink;
import io.bullpen.redis.internal.job.RedisJobBackend;
import io.bullpen.redis.internal.codec.Payloads;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.observe.Observers;
import io.bullpen.redis.internal.scheduling.JobSchedulerStore;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.redis.internal.settle.BatchScripts;
import io.bullpen.redis.internal.settle.CompletionBatcher;
import io.bullpen.redis.internal.settle.FailurePlanner;
import io.bullpen.redis.internal.settle.WorkerScripts;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind every worker kind: connections, scripts, the fetch loop, lock renewal, cancellation, buffered
 * job logs, the embedded scheduler and the lifecycle (run, pause, resume, close). The kinds differ only in their
 * {@link WorkSource}: {@link JobRunner} runs each job on its own, {@link BatchRunner} runs them in batches.
 */
public final class WorkerCore {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerCore.class);

  private final String queueName;
  private final WorkerOptions options;
  private final String kind;
  private final String loopThreadName;
  private final String id = UUID.randomUUID().toString();
  private final AtomicLong tokenCounter = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final QueueKeys keys;
  private final WorkerEvents events;
  private final JobObserver observer;
  private final WorkerInfo workerInfo;
  private final WorkerState state;
  private final ConnectionScope connections;
  private final WorkerScripts scripts;
  private final BatchScripts batchScripts;
  private final WorkerDuties duties;
  private final ExecutorService ownedExecutor;
  private final Executor executor;
  private final RedisJobBackend backend;
  private final RunningAttempts attempts;
  private final CancelSubscriber cancelSubscriber;
  private final JobStarts starts;
  private final SettlePlanner planner;
  private final FinalMoves moves;
  private final OrphanClaims orphans;
  private final FetchLoop fetchLoop;
  private final Object lifecycle = new Object();
  private Thread loopThread;
  private boolean closed;

  /**
   * The engine of a worker that runs {@code processor} for each job on its own, on {@code connections} (closed
   * with it, also when building it fails).
   */
  public static WorkerCore forJobs(ConnectionScope connections, String queueName, WorkerOptions options,
      Function<Job, CompletionStage<?>> processor) {
    WorkerCore core = create(connections, queueName, options, "worker", "worker", "processor");
    CompletionBatcher completions = new CompletionBatcher(core.batchScripts, core.scripts, core::nextToken,
        core.orphans::suspect, options.locks().duration().toMillis(), options.clock());
    core.fetchLoop.setSource(new JobRunner(core, processor, completions));
    return core;
  }

  /** The engine of a worker that hands {@code processor} batches of jobs, as {@link #forJobs}. */
  public static WorkerCore forBatches(ConnectionScope connections, String queueName, WorkerOptions options,
      BatchOptions batch, BatchProcessor processor) {
    if (processor == null || batch == null) {
      connections.close();
      Objects.requireNonNull(processor, "processor");
      throw new InvalidOptionException("batch", null, "BatchOptions are required");
    }
    WorkerCore core = create(connections, queueName, options, "batch worker", "batch", "batch");
    core.fetchLoop.setSource(new BatchRunner(core, processor, batch));
    return core;
  }

  private static WorkerCore create(ConnectionScope connections, String queueName, WorkerOptions options, String kind,
      String threadName, String poolName) {
    try {
      return new WorkerCore(connections, queueName, options, kind, threadName, poolName);
    } catch (RuntimeException e) {
      connections.close();
      throw e;
    }
  }

  /**
   * @param kind how messages name the worker
   * @param threadName the worker's threads are {@code bullpen-<threadName>-<queue>...}
   * @param poolName the processor pool's threads are {@code bullpen-<queue>-<poolName>-<n>}
   */
  private WorkerCore(ConnectionScope connections, String queueName, WorkerOptions options, String kind,
      String threadName, String poolName) {
    if (options == null) {
      throw new InvalidOptionException("options", null, "are required");
    }
    this.keys = new QueueKeys(options.prefix(), queueName);
    if (connections.isCluster()) {
      keys.requireOneSlot();
    }
    this.queueName = queueName;
    this.options = options;
    this.kind = kind;
    this.observer = Observers.of(options.observers());
    this.workerInfo = new WorkerInfo(queueName, id, options.concurrency(), this::activeJobs);
    this.events = new WorkerEvents(queueName, observer);
    this.state = new WorkerState(options.concurrency());
    long commandTimeout = options.redis().commandTimeout().toMillis();
    Duration longestBlock = options.drainDelay().compareTo(Duration.ofSeconds(10)) > 0
        ? options.drainDelay() : Duration.ofSeconds(10);
    this.connections = connections;
    connections.allowBlocking(longestBlock.plusSeconds(1));
    RedisLink commands = connections.commands();
    ScriptRunner runner = new ScriptRunner(commands);
    String identity = workerIdentity(options);
    this.scripts = new WorkerScripts(keys, runner, commandTimeout, options.locks().duration().toMillis(),
        options.limiter().orElse(null), identity, options.metricsMaxDataPoints());
    this.batchScripts = new BatchScripts(keys, runner, commandTimeout, options.limiter().orElse(null), identity,
        options.metricsMaxDataPoints());
    RightsCheck.verify(runner, keys, commandTimeout, options.redis().maskedUri());
    this.loopThreadName = "bullpen-" + threadName + "-" + queueName;
    String threadPrefix = loopThreadName;
    String clientName = keys.workerClientName(options.name().orElse(null));
    this.duties = new WorkerDuties(() -> connections.openDedicated(clientName), connections, keys, options, scripts,
        state, events, this::lockLost, threadPrefix);
    long lockDuration = options.locks().duration().toMillis();
    this.orphans = new OrphanClaims(scripts, duties.lockRenewer(), lockDuration, events);
    this.ownedExecutor = options.executor().isPresent() ? null : pool(queueName, poolName, options.concurrency());
    this.executor = options.executor().orElse(ownedExecutor);
    this.backend = new RedisJobBackend(keys, runner, commandTimeout, options.clock(),
        Payloads.of(options.redis().maxPayloadBytes()));
    this.attempts = new RunningAttempts(threadPrefix + "-logs", backend::addLogs, events::error,
        options.clock()::millis);
    this.cancelSubscriber = new CancelSubscriber(connections, keys.cancelChannel(), attempts, events::error);
    this.starts = new JobStarts(events, duties.lockRenewer(), attempts, options.maxStartedAttempts(),
        new JobSchedulerStore(keys, runner, commandTimeout, options.clock())::addNextIteration, observer, id,
        options.clock());
    this.planner = new SettlePlanner(new FailurePlanner(options.backoffStrategies(), options.clock()::millis), events,
        options.removeOnComplete(), options.removeOnFail());
    this.moves = new FinalMoves(state, events, duties.lockRenewer(), lockDuration, this::nextToken, orphans, queueName);
    this.fetchLoop = new FetchLoop(state, duties.markerWaiter(), events, this::nextToken, orphans,
        options.maximumRateLimitDelay().toMillis());
    LockRenewer renewer = duties.lockRenewer();
    connections.onReconnected(commands, () -> {
      reconnects.incrementAndGet();
      if (renewer != null) {
        // Locks may have run short while Redis was away: renew them before the next tick.
        renewer.renewAllSoon();
      }
    });
  }

  /**
   * Starts fetching jobs.
   *
   * @throws BullpenException if the worker is running already or closed
   */
  public void run() {
    synchronized (lifecycle) {
      if (closed) {
        throw new ClosedException(kind + " of queue " + queueName);
      }
      if (loopThread != null) {
        throw new BullpenException(kind + " of queue " + queueName + " is already running");
      }
      try {
        cancelSubscriber.start();
      } catch (RuntimeException e) {
        // Cancels then reach this worker's jobs only when it takes them (the hash carries the cancel).
        events.error(e);
      }
      duties.start();
      loopThread = new Thread(fetchLoop, loopThreadName);
      // Not a daemon: a main() that starts a worker and returns keeps the JVM running until the worker is closed.
      loopThread.setDaemon(false);
      loopThread.start();
    }
    observer.workerStarted(workerInfo);
  }

  /** Stops taking jobs; with {@code waitForActive}, returns once the jobs in flight have been settled. */
  public void pause(boolean waitForActive) {
    duties.pause();
    if (!waitForActive) {
      return;
    }
    try {
      state.awaitNoHeldJobs();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BullpenException("interrupted while waiting for the active jobs of " + this, e);
    }
  }

  public void resume() {
    synchronized (lifecycle) {
      duties.resume(closed);
    }
  }

  public boolean isPaused() {
    return state.isPaused();
  }

  public boolean isRunning() {
    synchronized (lifecycle) {
      return loopThread != null && !closed && !state.isClosing();
    }
  }

  public void rateLimit(long millis) {
    TimeLimits.requireMillis("rateLimit", millis, 1);
    scripts.rateLimit(millis);
  }

  public boolean cancelJob(String jobId, String reason) {
    QueueKeys.requireJobId("jobId", jobId);
    return attempts.cancel(jobId, reason, false);
  }

  public int cancelAllJobs(String reason) {
    return attempts.cancelAll(reason);
  }

  public void addListener(WorkerListener listener) {
    events.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(WorkerListener listener) {
    events.remove(listener);
  }

  /** Jobs taken from Redis and not yet settled. */
  public WorkerHealth health() {
    return new WorkerHealth(isRunning(), state.isPaused(), activeJobs(),
        Optional.ofNullable(fetchLoop.sinceLastFetch()), reconnects.get());
  }

  public int activeJobs() {
    return state.heldJobs();
  }

  /** Slots in use: jobs (or batches) being run, and a fetch waiting for work. */
  public int slotsInUse() {
    return state.inFlight();
  }

  public String queueName() {
    return queueName;
  }

  public WorkerOptions options() {
    return options;
  }

  public String id() {
    return id;
  }

  /**
   * Stops fetching, waits up to {@code closeTimeout} for jobs in flight unless {@code force}, then releases every
   * resource. Jobs abandoned by a forced close keep running unwatched and are recovered as stalled.
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
    if (!force && !awaitSlots()) {
      LOG.warn("{} of queue {}: {} job(s) still running after {}; closing anyway", kind, queueName,
          state.heldJobs(), options.closeTimeout());
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
      LOG.debug("closing the Redis connections of {} {} failed", kind, id, e);
    }
    if (loop != null) {
      observer.workerClosed(workerInfo);
    }
    events.closed();
  }

  private boolean awaitSlots() {
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

  /**
   * The worker's own processor pool: a FIFO {@link ForkJoinPool} of {@code threads} workers. A plain fixed pool
   * woke one parked thread per job handed to it (its queue passes each wake-up on while tasks remain), and those
   * futex calls were a third of a busy worker's CPU; the fork-join pool keeps a thread that just finished busy with
   * the next job instead. Every slot has at most one task at a time, so all {@code threads} can block at once.
   */
  private static ExecutorService pool(String queueName, String poolName, int threads) {
    AtomicInteger counter = new AtomicInteger();
    ForkJoinPool.ForkJoinWorkerThreadFactory factory = forkJoinPool -> {
      ForkJoinWorkerThread thread = new ForkJoinWorkerThread(forkJoinPool) { };
      thread.setName("bullpen-" + queueName + "-" + poolName + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    return new ForkJoinPool(threads, factory, null, true);
  }

  String nextToken() {
    return id + ":" + tokenCounter.incrementAndGet();
  }

  QueueKeys keys() {
    return keys;
  }

  WorkerEvents events() {
    return events;
  }

  WorkerState state() {
    return state;
  }

  WorkerScripts scripts() {
    return scripts;
  }

  BatchScripts batchScripts() {
    return batchScripts;
  }

  Executor executor() {
    return executor;
  }

  RedisJobBackend backend() {
    return backend;
  }

  JobStarts starts() {
    return starts;
  }

  SettlePlanner planner() {
    return planner;
  }

  OrphanClaims orphans() {
    return orphans;
  }

  /** A lock renewal found the job's lock gone: report it and tell the processor, which can stop early. */
  private void lockLost(LockLostException lost) {
    observer.lockRenewalFailed(queueName, lost.jobId());
    events.error(lost);
    attempts.cancel(lost.jobId(), "the worker lost the lock of job " + lost.jobId() + ": " + lost.getMessage(), true);
  }

  FinalMoves moves() {
    return moves;
  }

  FetchLoop fetchLoop() {
    return fetchLoop;
  }

  @Override
  public String toString() {
    return kind + " " + id + " of queue " + queueName;
  }
}
