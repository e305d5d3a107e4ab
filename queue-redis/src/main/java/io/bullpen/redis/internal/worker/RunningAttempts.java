package io.bullpen.redis.internal.worker;

import io.bullpen.InvalidOptionException;
import io.bullpen.StoredText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The attempts a worker is running, by job id: each with its cancellation signal and its log buffer. One daemon
 * thread writes log buffers that are full or a second old; the rest are written when their attempt ends.
 */
final class RunningAttempts implements AutoCloseable {
  private static final long FLUSH_TICK_MILLIS = 100;

  /** How long a cancel for a job this worker does not run (yet) is remembered. */
  private static final long PENDING_CANCEL_MILLIS = 10_000;

  private final ConcurrentMap<String, Attempt> byJobId = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, PendingCancel> pendingCancels = new ConcurrentHashMap<>();
  private final JobLogBuffer.Writer logWriter;
  private final Consumer<Throwable> errors;
  private final LongSupplier clock;
  private final ScheduledExecutorService flusher;

  /** One running attempt. */
  public record Attempt(String jobId, CancelSignal signal, JobLogBuffer logs, RunningAttempts owner) {
    /** Buffers a log line; returns how many lines this attempt has logged. */
    public long log(String line) {
      if (line == null) {
        throw new InvalidOptionException("line", null, "a log line must not be null");
      }
      StoredText.requireWellFormed("line", line);
      long count = logs.add(line, owner.clock.getAsLong());
      if (logs.isFull()) {
        owner.flushLater(this);
      }
      return count;
    }
  }

  public RunningAttempts(String threadName, JobLogBuffer.Writer logWriter, Consumer<Throwable> errors,
      LongSupplier clock) {
    this.logWriter = logWriter;
    this.errors = errors;
    this.clock = clock;
    this.flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    });
    flusher.scheduleWithFixedDelay(this::flushDue, FLUSH_TICK_MILLIS, FLUSH_TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  public Attempt begin(String jobId, Integer keepLogs) {
    Attempt attempt = new Attempt(jobId, new CancelSignal(), new JobLogBuffer(jobId, keepLogs, logWriter), this);
    byJobId.put(jobId, attempt);
    // A cancel published between the fetch and this registration would otherwise be lost.
    PendingCancel pending = pendingCancels.remove(jobId);
    if (pending != null && clock.getAsLong() - pending.at() < PENDING_CANCEL_MILLIS) {
      attempt.signal().cancel(pending.reason(), pending.retry());
    }
    return attempt;
  }

  /** Ends the attempt: its remaining log lines are written now, before the job changes state. */
  public void end(Attempt attempt) {
    byJobId.remove(attempt.jobId(), attempt);
    flushQuietly(attempt);
  }

  /** Cancels the attempt running job {@code jobId} in this worker; false when it runs none. */
  public boolean cancel(String jobId, String reason, boolean retry) {
    Attempt attempt = byJobId.get(jobId);
    return attempt != null && attempt.signal().cancel(reason, retry);
  }

  /**
   * A cancel published through Redis: applied to the running attempt, or kept for a few seconds in case this
   * worker has just fetched the job and not registered its attempt yet.
   */
  public void cancelPublished(String jobId, String reason, boolean retry) {
    if (!cancel(jobId, reason, retry)) {
      long now = clock.getAsLong();
      pendingCancels.values().removeIf(p -> now - p.at() >= PENDING_CANCEL_MILLIS);
      pendingCancels.put(jobId, new PendingCancel(reason, retry, now));
      Attempt attempt = byJobId.get(jobId);
      if (attempt != null && pendingCancels.remove(jobId) != null) {
        attempt.signal().cancel(reason, retry);
      }
    }
  }

  private record PendingCancel(String reason, boolean retry, long at) {}

  /** Cancels every running attempt; returns how many were cancelled. */
  public int cancelAll(String reason) {
    int count = 0;
    for (Attempt attempt : new ArrayList<>(byJobId.values())) {
      if (attempt.signal().cancel(reason, false)) {
        count++;
      }
    }
    return count;
  }

  /** Writes every buffered line now (a worker closing without waiting for its jobs). */
  public void flushAll() {
    for (Attempt attempt : List.copyOf(byJobId.values())) {
      flushQuietly(attempt);
    }
  }

  private void flushLater(Attempt attempt) {
    try {
      flusher.execute(() -> flushQuietly(attempt));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      flushQuietly(attempt);
    }
  }

  private void flushDue() {
    long now = clock.getAsLong();
    for (Attempt attempt : byJobId.values()) {
      if (attempt.logs().isDue(now)) {
        flushQuietly(attempt);
      }
    }
  }

  private void flushQuietly(Attempt attempt) {
    try {
      attempt.logs().flush();
    } catch (RuntimeException e) {
      errors.accept(e);
    }
  }

  @Override
  public void close() {
    flushAll();
    flusher.shutdown();
  }
}
