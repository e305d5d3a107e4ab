package io.bullpen.redis.internal.worker;

import io.bullpen.LockLostException;
import io.bullpen.redis.internal.settle.WorkerScripts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the locks of one worker's jobs alive from the moment they are claimed (jobs waiting for a free processor
 * included) until their final move: a single timer thread, off the processor threads, fires every
 * lockRenewTime / 2 and renews in one script call every lock not renewed for lockRenewTime / 2; after a
 * reconnect it renews them all at once. A lock found gone is reported once per job and no longer renewed; the
 * job's final move then fails with {@link LockLostException}.
 */
final class LockRenewer implements AutoCloseable {
  private final WorkerScripts scripts;
  private final long lockDurationMillis;
  private final long renewAfterNanos;
  private final long periodMillis;
  private final Consumer<Throwable> onError;
  private final Consumer<LockLostException> onLost;
  private final ConcurrentMap<String, Held> held = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  /** One lock this worker holds. */
  private static final class Held {
    final String token;
    volatile long renewedAtNanos;
    volatile boolean finishing;

    Held(String token) {
      this.token = token;
      this.renewedAtNanos = System.nanoTime();
    }
  }

  /**
   * @param onError a renewal call failed (Redis unreachable): the locks are tried again on the next tick
   * @param onLost one job's lock was gone or taken (once per job)
   */
  public LockRenewer(WorkerScripts scripts, long lockDurationMillis, long lockRenewTimeMillis,
      Consumer<Throwable> onError, Consumer<LockLostException> onLost, String threadName) {
    this.scripts = scripts;
    this.lockDurationMillis = lockDurationMillis;
    this.renewAfterNanos = TimeUnit.MILLISECONDS.toNanos(lockRenewTimeMillis) / 2;
    this.periodMillis = Math.max(1, lockRenewTimeMillis / 2);
    this.onError = onError;
    this.onLost = onLost;
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    });
  }

  public void start() {
    timer.scheduleAtFixedRate(this::renewDue, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts renewing the lock just taken on {@code jobId}; a lock tracked already with the same token keeps its
   * renewal time (the claim, not the processor's start, is when the lock was set).
   */
  public void track(String jobId, String token) {
    held.compute(jobId, (id, h) -> h != null && h.token.equals(token) ? h : new Held(token));
  }

  /** Whether {@code jobId} is tracked with {@code token}: a job of this worker, not an orphan of a lost reply. */
  public boolean holds(String jobId, String token) {
    Held h = held.get(jobId);
    return h != null && h.token.equals(token);
  }

  /** When the lock of {@code jobId} runs out unless renewed again, in {@link System#nanoTime()} terms; or -1. */
  public long lockExpiresAtNanos(String jobId) {
    Held h = held.get(jobId);
    return h == null ? -1 : h.renewedAtNanos + TimeUnit.MILLISECONDS.toNanos(lockDurationMillis);
  }

  /** Renews every lock at once, off the caller's thread: the connection came back, and locks may be short. */
  public void renewAllSoon() {
    try {
      timer.execute(() -> renew(true));
    } catch (RejectedExecutionException e) {
      // Closed: nothing is renewed any more.
    }
  }

  /**
   * The job's final move is about to run: keep renewing (the move may be retried while Redis is away) but do
   * not report the lock as lost once that move has released it.
   */
  public void finishing(String jobId, String token) {
    Held h = held.get(jobId);
    if (h != null && h.token.equals(token)) {
      h.finishing = true;
    }
  }

  public void untrack(String jobId, String token) {
    held.computeIfPresent(jobId, (id, h) -> h.token.equals(token) ? null : h);
  }

  public int tracked() {
    return held.size();
  }

  /** Renews every lock older than lockRenewTime / 2; public so a test can drive it. */
  public void renewDue() {
    renew(false);
  }

  private void renew(boolean all) {
    long now = System.nanoTime();
    Map<String, Held> due = new LinkedHashMap<>();
    held.forEach((id, h) -> {
      if (all || now - h.renewedAtNanos >= renewAfterNanos) {
        due.put(id, h);
      }
    });
    if (due.isEmpty()) {
      return;
    }
    Map<String, String> tokens = new LinkedHashMap<>();
    due.forEach((id, h) -> tokens.put(id, h.token));
    List<String> lost;
    try {
      lost = scripts.extendLocks(tokens, lockDurationMillis);
    } catch (RuntimeException e) {
      onError.accept(e);
      return;
    }
    for (Map.Entry<String, Held> entry : due.entrySet()) {
      entry.getValue().renewedAtNanos = now;
    }
    for (String id : lost) {
      Held h = due.get(id);
      // Only a lock that is still ours to hold counts as lost; a finishing job released it on purpose.
      if (h != null && !h.finishing && held.remove(id, h)) {
        onLost.accept(new LockLostException(scripts.keys().queueName(), id, "extendLocks",
            "the lock could not be renewed (it expired or another worker took the job)"));
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    held.clear();
  }
}
