package io.bullpen.redis;

import io.bullpen.ClosedException;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobFailedException;
import io.bullpen.QueueConnectionException;
import io.bullpen.event.QueueEvent;
import io.bullpen.event.QueueEvent.Completed;
import io.bullpen.event.QueueEvent.Failed;
import io.bullpen.event.Subscription;
import io.bullpen.redis.internal.connection.ConnectionScope;
import io.bullpen.redis.internal.events.EventListeners;
import io.bullpen.redis.internal.events.EventStreamReader;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.script.ScriptRunner;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Listens to a queue's BullMQ event stream, whoever writes it (Java or Node producers and workers), and hands
 * typed {@link QueueEvent}s to listeners.
 *
 * <p>Reading uses blocking XREAD on a dedicated connection, named {@code <prefix>:<base64(queue)>:qe} like
 * BullMQ's, and one background thread. Listeners run on that thread in stream order, so they should be quick;
 * one that throws is logged and the others still get the event. When Redis goes away the reader logs, retries
 * with backoff and resumes after the last event it delivered. Events are best-effort, as in BullMQ: entries
 * trimmed from the stream before they were read are never seen.
 *
 * <pre>{@code
 * try (QueueEvents events = new QueueEvents("mail", QueueEventsOptions.builder().redis(config).build())) {
 *   events.on(QueueEvent.Completed.class, e -> log.info("{} done: {}", e.job(), e.returnValueJson()));
 *   String result = events.waitUntilFinished(jobId, Duration.ofMinutes(1)).join();
 * }
 * }</pre>
 */
public final class QueueEvents implements AutoCloseable {
  private static final Script FINISHED_STATE = Script.GET_FINISHED_STATE;
  private static final Duration STOP_JOIN = Duration.ofSeconds(1);

  private final QueueKeys keys;
  private final QueueEventsOptions options;
  private final ConnectionScope connections;
  private final EventListeners listeners;
  private final EventStreamReader reader;
  private final Set<CompletableFuture<String>> pendingWaits = ConcurrentHashMap.newKeySet();
  private final ScheduledThreadPoolExecutor timers;
  private ScriptRunner scripts; // on a second connection, opened by the first waitUntilFinished
  private volatile boolean closed;

  /**
   * Connects to Redis and, unless {@link QueueEventsOptions#autorun()} is false, starts reading.
   *
   * @throws InvalidOptionException when the queue name is invalid
   * @throws io.bullpen.QueueConnectionException when Redis cannot be reached
   */
  public QueueEvents(String queueName, QueueEventsOptions options) {
    if (options == null) {
      throw new InvalidOptionException("options", null, "QueueEventsOptions are required");
    }
    this.options = options;
    this.keys = new QueueKeys(options.prefix(), queueName);
    this.listeners = new EventListeners(queueName);
    this.connections = RedisConnector.scope(options.connector().orElse(null), options.redis());
    try {
      if (connections.isCluster()) {
        keys.requireOneSlot();
      }
      connections.allowBlocking(options.blockTimeout());
      String clientName = keys.queueEventsClientName();
      this.reader = new EventStreamReader(() -> connections.openDedicated(clientName), keys.events(),
          options.lastEventId(), options.blockTimeout(), options.redis().commandTimeout(), listeners::deliver);
      connections.onTopologyChanged(reader::abandonRead);
      this.timers = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "bullpen-events-timeouts-" + queueName);
        thread.setDaemon(true);
        return thread;
      });
      timers.setRemoveOnCancelPolicy(true);
      if (options.autorun()) {
        start();
      }
    } catch (RuntimeException e) {
      connections.close();
      throw e;
    }
  }

  /**
   * Starts reading; needed only with {@code autorun(false)}. Every event written after this returns is delivered
   * (when starting from {@code $}, the current end of the stream is looked up here, not on the first read).
   *
   * @throws IllegalStateException when already started
   * @throws ClosedException when closed
   * @throws io.bullpen.QueueConnectionException when Redis cannot be reached
   */
  public void start() {
    checkOpen();
    reader.start("bullpen-events-" + keys.queueName());
  }

  /** Calls {@code listener} for every event of {@code type}, e.g. {@code QueueEvent.Completed.class}. */
  public <E extends QueueEvent> Subscription on(Class<E> type, Consumer<? super E> listener) {
    checkOpen();
    return listeners.add(type, listener);
  }

  /** Calls {@code listener} for every event. */
  public Subscription onAny(Consumer<? super QueueEvent> listener) {
    checkOpen();
    return listeners.add(QueueEvent.class, listener);
  }

  /** Calls {@code listener} for every event about job {@code jobId} (custom events with that {@code jobId} too). */
  public Subscription onJob(String jobId, Consumer<? super QueueEvent> listener) {
    requireJobId(jobId);
    checkOpen();
    return listeners.addForJob(jobId, listener);
  }

  /**
   * Completes with the job's return value (JSON text, {@code null} when it returned nothing) once it completes;
   * exceptionally with {@link JobFailedException} once it fails for good, with {@link TimeoutException} when
   * neither happened within {@code timeout}, and with {@link ClosedException} when this QueueEvents is closed
   * first (called on a closed QueueEvents, it throws that at once). A job that finished before the call is found too: the listener is registered first, then the
   * {@code completed} and {@code failed} sets are checked once. A job removed on completion cannot be found that
   * way, so waiting for it only succeeds if its {@code completed} event is still to be read.
   *
   * <p>The future may be completed on the reader thread: chain slow work with the {@code *Async} methods.
   */
  public CompletableFuture<String> waitUntilFinished(String jobId, Duration timeout) {
    requireJobId(jobId);
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new InvalidOptionException("timeout", timeout, "must be > 0");
    }
    checkOpen();
    CompletableFuture<String> result = new CompletableFuture<>();
    Subscription subscription = listeners.addForJob(jobId, event -> settle(result, jobId, event));
    pendingWaits.add(result);
    result.whenComplete((value, error) -> {
      subscription.close();
      pendingWaits.remove(result);
    });
    try {
      ScheduledFuture<?> timer = timers.schedule(() -> result.completeExceptionally(new TimeoutException(
          "job " + jobId + " in queue " + keys.queueName() + " did not finish within " + timeout)),
          saturatedMillis(timeout), TimeUnit.MILLISECONDS);
      result.whenComplete((value, error) -> timer.cancel(false));
    } catch (RejectedExecutionException closedMeanwhile) {
      result.completeExceptionally(closedBefore(jobId));
      return result;
    }
    if (closed) { // close() may have completed the pending waits just before this one was added
      result.completeExceptionally(closedBefore(jobId));
      return result;
    }
    checkAlreadyFinished(jobId, result);
    return result;
  }

  /** The queue this instance listens to. */
  public String queueName() {
    return keys.queueName();
  }

  /** The id of the last event delivered, or the start position before any; usable as a later {@code lastEventId}. */
  public String lastEventId() {
    return reader.lastId();
  }

  /**
   * Stops reading at once (a blocked XREAD is cut short by closing its connection), completes pending
   * {@link #waitUntilFinished} futures exceptionally and releases the connections. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    reader.stop(STOP_JOIN);
    for (CompletableFuture<String> wait : List.copyOf(pendingWaits)) {
      wait.completeExceptionally(new ClosedException("QueueEvents for queue " + keys.queueName()));
    }
    timers.shutdownNow();
    connections.close();
  }

  private void settle(CompletableFuture<String> result, String jobId, QueueEvent event) {
    if (event instanceof Completed completed) {
      result.complete(completed.returnValueJson());
    } else if (event instanceof Failed failed) {
      result.completeExceptionally(new JobFailedException(jobId, keys.queueName(), failed.failedReason()));
    }
  }

  private void checkAlreadyFinished(String jobId, CompletableFuture<String> result) {
    CompletableFuture<Object> reply;
    try {
      reply = scripts().run(FINISHED_STATE, List.of(keys.completed(), keys.failed(), keys.jobKey(jobId)),
          List.of(jobId));
    } catch (RuntimeException e) {
      result.completeExceptionally(closed ? closedBefore(jobId)
          : RedisCalls.translate(e, "checking whether job " + jobId + " finished"));
      return;
    }
    // Off the Lettuce I/O thread: callers' dependent stages must not run there.
    reply.whenCompleteAsync((value, error) -> {
      if (error != null) {
        result.completeExceptionally(closed ? closedBefore(jobId)
            : RedisCalls.translate(error, "checking whether job " + jobId + " finished"));
      } else if (value instanceof List<?> pair && pair.size() == 2) {
        String state = String.valueOf(pair.get(0));
        String detail = String.valueOf(pair.get(1));
        if (state.equals("completed")) {
          result.complete(detail);
        } else if (state.equals("failed")) {
          result.completeExceptionally(new JobFailedException(jobId, keys.queueName(), detail));
        }
      }
    });
  }

  private synchronized ScriptRunner scripts() {
    checkOpen();
    if (scripts == null) {
      scripts = new ScriptRunner(connections.commands());
    }
    return scripts;
  }

  private ClosedException closedBefore(String jobId) {
    return new ClosedException("QueueEvents for queue " + keys.queueName());
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedException("QueueEvents for queue " + keys.queueName());
    }
  }

  private static String requireJobId(String jobId) {
    return QueueKeys.requireJobId("jobId", jobId);
  }

  private static long saturatedMillis(Duration duration) {
    try {
      return duration.toMillis();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
