package io.bullpen.scheduler;

import io.bullpen.InvalidOptionException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a queue's stalled-job check at start and then every interval, on one daemon thread of its own, as
 * BullMQ's workers do. A failing check (Redis away, say) is reported and tried again at the next interval;
 * it never stops the checker. {@link #stop()} suspends it, {@link #start()} resumes it, {@link #close()} ends
 * it for good.
 */
public final class StalledJobChecker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StalledJobChecker.class);

  private final StalledJobOperations operations;
  private final long intervalMillis;
  private final Consumer<String> onStalled;
  private final Consumer<Throwable> onError;
  private final ScheduledExecutorService timer;
  private ScheduledFuture<?> schedule;
  private boolean closed;

  /**
   * @param threadName name of the checker's thread, e.g. naming the queue
   * @param operations the queue operation to run
   * @param interval time between checks, at least 1 ms
   * @param onStalled called with each job id the check moved back
   * @param onError called when a check fails
   */
  public StalledJobChecker(String threadName, StalledJobOperations operations, Duration interval,
      Consumer<String> onStalled, Consumer<Throwable> onError) {
    this.operations = Objects.requireNonNull(operations, "operations");
    Objects.requireNonNull(interval, "interval");
    if (interval.toMillis() < 1) {
      throw new InvalidOptionException("stalledInterval", interval, "must be at least 1 ms");
    }
    this.intervalMillis = interval.toMillis();
    this.onStalled = Objects.requireNonNull(onStalled, "onStalled");
    this.onError = Objects.requireNonNull(onError, "onError");
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts (or resumes) checking: one check right away, then one every interval. Does nothing if running. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("the stalled-job checker is closed");
    }
    if (schedule == null) {
      schedule = timer.scheduleWithFixedDelay(this::checkQuietly, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Suspends checking; a check already running finishes. */
  public synchronized void stop() {
    if (schedule != null) {
      schedule.cancel(false);
      schedule = null;
    }
  }

  public synchronized boolean isRunning() {
    return schedule != null;
  }

  /** Runs one check on the caller's thread and returns the ids moved back; failures are thrown. */
  public List<String> checkNow() {
    List<String> moved = operations.moveStalledJobsToWait();
    for (String jobId : moved) {
      try {
        onStalled.accept(jobId);
      } catch (RuntimeException e) {
        LOG.warn("stalled-job callback failed for job {}", jobId, e);
      }
    }
    return moved;
  }

  private void checkQuietly() {
    try {
      checkNow();
    } catch (RuntimeException e) {
      try {
        onError.accept(e);
      } catch (RuntimeException callbackFailure) {
        LOG.warn("stalled-job error callback failed", callbackFailure);
      }
    }
  }

  /** Stops checking for good and waits briefly for a running check to end. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      stop();
    }
    timer.shutdown();
    try {
      if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
