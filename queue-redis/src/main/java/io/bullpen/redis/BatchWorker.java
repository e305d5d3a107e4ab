package io.bullpen.redis;

import io.bullpen.BatchOptions;
import io.bullpen.BatchProcessor;
import io.bullpen.BullpenException;
import io.bullpen.InvalidOptionException;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.internal.worker.BatchRunner;
import io.bullpen.redis.internal.settle.BatchScripts;
import io.bullpen.redis.internal.settle.FailurePlanner;
import io.bullpen.redis.internal.scheduling.JobSchedulerStore;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.job.RedisJobBackend;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.redis.internal.connection.WorkerConnections;
import io.bullpen.redis.internal.worker.WorkerDuties;
import io.bullpen.redis.internal.worker.WorkerEvents;
import io.bullpen.redis.internal.settle.WorkerScripts;
import io.bullpen.redis.internal.worker.WorkerState;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker whose processor takes a batch of jobs at once: up to {@link BatchOptions#size()} jobs per call,
 * collected for at most {@link BatchOptions#maxWait()} once the first is in, with one outcome per job
 * ({@link io.bullpen.JobOutcome}: completed, failed, retry later). A batch is claimed with one script call and
 * settled with one more, which also claims the next batch, so Redis does two script calls per batch instead of
 * one per job. In Redis every job is an ordinary BullMQ job with its own lock, events and retries: Node workers
 * and dashboards see nothing unusual.
 *
 * <pre>{@code
 * BatchProcessor store = jobs -> {
 *   database.insertAll(jobs.stream().map(j -> j.data(Row.class)).toList());
 *   return jobs.stream().map(j -> JobOutcome.completed(null)).toList();
 * };
 * try (BatchWorker worker = new BatchWorker("rows", store, options, BatchOptions.of(50, Duration.ofMillis(20)))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link WorkerOptions#concurrency()} is the number of batches run at once. Everything else in
 * {@link WorkerOptions} means what it means for a {@link Worker} (locks, stalled check, rate limits, keep
 * policies, backoff strategies, executor, close timeout).
 */
public final class BatchWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWorker.class);

  private final String queueName;
  private final WorkerOptions options;
  private final BatchOptions batch;
  private final String id = UUID.randomUUID().toString();
  private final AtomicLong tokenCounter = new AtomicLong();
  private final WorkerEvents events;
  private final WorkerState state;
  private final WorkerConnections connections;
  private final WorkerScripts scripts;
  private final WorkerDuties duties;
  private final ExecutorService ownedExecutor;
  private final BatchRunner runner;
  private final Object lifecycle = new Object();
  private Thread loopThread;
  private boolean closed;

  public BatchWorker(String queueName, BatchProcessor processor, WorkerOptions options, BatchOptions batch) {
    Objects.requireNonNull(processor, "processor");
    if (options == null) {
      throw new InvalidOptionException("options", null, "are required");
    }
    if (batch == null) {
      throw new InvalidOptionException("batch", null, "BatchOptions are required");
    }
    QueueKeys keys = new QueueKeys(options.prefix(), queueName);
    this.queueName = queueName;
    this.options = options;
    this.batch = batch;
    this.events = new WorkerEvents(queueName);
    this.state = new WorkerState(options.concurrency());
    long commandTimeout = options.redis().commandTimeout().toMillis();
    Duration longestBlock = options.drainDelay().compareTo(Duration.ofSeconds(10)) > 0
        ? options.drainDelay() : Duration.ofSeconds(10);
    this.connections = new WorkerConnections(options.redis(), longestBlock,
        keys.workerClientName(options.name().orElse(null)));
    ScriptRunner scriptRunner = new ScriptRunner(connections.commands().async());
    String identity = identity(options);
    this.scripts = new WorkerScripts(keys, scriptRunner, commandTimeout, options.lockDuration().toMillis(),
        options.limiter().orElse(null), identity);
    BatchScripts batchScripts = new BatchScripts(keys, scriptRunner, commandTimeout,
        options.limiter().orElse(null), identity);
    this.duties = new WorkerDuties(connections, keys, options, scripts, state, events, "bullpen-batch-" + queueName);
    this.ownedExecutor = options.executor().isPresent() ? null : pool(queueName, options.concurrency());
    Executor executor = options.executor().orElse(ownedExecutor);
    this.runner = new BatchRunner(batchScripts, scripts, state, duties.markerWaiter(), events, duties.lockRenewer(),
        new FailurePlanner(options.backoffStrategies()), executor, processor, this::nextToken,
        new RedisJobBackend(keys, scriptRunner, commandTimeout, options.clock()),
        new BatchRunner.Settings(batch.size(), batch.maxWait().toMillis(), options.lockDuration().toMillis(),
            options.maximumRateLimitDelay().toMillis(), options.removeOnComplete(), options.removeOnFail(),
            options.maxStartedAttempts(), options.clock()),
        new JobSchedulerStore(keys, scriptRunner, commandTimeout, options.clock())::addNextIteration);
    if (options.autorun()) {
      run();
    }
  }

  /** Starts fetching (done by the constructor unless {@code autorun} is off). */
  public void run() {
    synchronized (lifecycle) {
      if (closed) {
        throw new BullpenException("batch worker of queue " + queueName + " is closed");
      }
      if (loopThread != null) {
        throw new BullpenException("batch worker of queue " + queueName + " is already running");
      }
      duties.start();
      loopThread = new Thread(runner, "bullpen-batch-" + queueName);
      loopThread.setDaemon(true);
      loopThread.start();
    }
  }

  /** Stops taking new batches; batches in flight run to their end. */
  public void pause() {
    duties.pause();
  }

  public void resume() {
    synchronized (lifecycle) {
      duties.resume(closed);
    }
  }

  public boolean isPaused() {
    return state.isPaused();
  }

  public BatchWorker addListener(WorkerListener listener) {
    events.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  public BatchWorker removeListener(WorkerListener listener) {
    events.remove(listener);
    return this;
  }

  public String queueName() {
    return queueName;
  }

  public WorkerOptions options() {
    return options;
  }

  public BatchOptions batchOptions() {
    return batch;
  }

  /** Lock tokens are {@code <id>:<n>}, one per claim. */
  public String id() {
    return id;
  }

  /** Batches being collected or run right now. */
  public int activeBatches() {
    return state.inFlight();
  }

  @Override
  public void close() {
    close(false);
  }

  /** Closes; with {@code force} batches in flight are abandoned (their jobs are recovered as stalled). */
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
    if (!force && !awaitBatches()) {
      LOG.warn("batch worker of queue {}: {} batch(es) still running after {}; closing anyway", queueName,
          state.inFlight(), options.closeTimeout());
      state.startClosing(true);
    }
    if (loop != null) {
      try {
        loop.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
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
      LOG.debug("closing the Redis connections of batch worker {} failed", id, e);
    }
    events.closed();
  }

  private boolean awaitBatches() {
    try {
      return state.awaitIdle(options.closeTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The worker name (written as {@code pb}) followed by its capabilities, each after a newline, as scripts read it. */
  private static String identity(WorkerOptions options) {
    StringBuilder identity = new StringBuilder(options.name().orElse(""));
    for (String capability : options.capabilities()) {
      identity.append('\n').append(capability);
    }
    return identity.length() == 0 ? null : identity.toString();
  }

  private String nextToken() {
    return id + ":" + tokenCounter.incrementAndGet();
  }

  private static ExecutorService pool(String queueName, int threads) {
    AtomicInteger counter = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "bullpen-" + queueName + "-batch-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public String toString() {
    return "BatchWorker{" + queueName + ", id=" + id + ", " + batch + "}";
  }
}
