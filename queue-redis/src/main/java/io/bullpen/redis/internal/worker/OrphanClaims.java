package io.bullpen.redis.internal.worker;

import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.settle.WorkerScripts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Jobs a fetch locked for this worker although the worker never saw the reply (the connection dropped, or the
 * reply came too late). Left alone they would sit in {@code active} until their lock expired and then count as
 * stalled, although no processor ever ran them. Every fetch token whose call may have run is remembered; once
 * Redis answers again, the jobs still locked with one of them go back to wait without using an attempt.
 *
 * <p>A token is suspected only after its call failed, and no call uses it afterwards, so a job found locked with
 * it is never one this worker is about to run (jobs it tracks are skipped all the same).
 */
final class OrphanClaims {
  private final WorkerScripts scripts;
  private final LockRenewer renewer;
  private final long lockDurationNanos;
  private final WorkerEvents events;
  private final ConcurrentMap<String, Long> suspects = new ConcurrentHashMap<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /** @param renewer the worker's lock renewal, or null when it skips renewal */
  OrphanClaims(WorkerScripts scripts, LockRenewer renewer, long lockDurationMillis, WorkerEvents events) {
    this.scripts = scripts;
    this.renewer = renewer;
    this.lockDurationNanos = TimeUnit.MILLISECONDS.toNanos(lockDurationMillis);
    this.events = events;
  }

  /** A call fetching jobs locked with {@code token} failed after it may have run. */
  void suspect(String token) {
    suspects.put(token, System.nanoTime());
  }

  /**
   * Gives back the jobs locked with a suspected token. Cheap when there is none; one thread sweeps at a time;
   * when Redis is still away the tokens stay for the next sweep, until their locks have run out (by then a
   * stalled check recovers the jobs).
   */
  void sweep() {
    if (suspects.isEmpty() || !sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      long now = System.nanoTime();
      suspects.values().removeIf(at -> now - at > lockDurationNanos);
      List<String> tokens = new ArrayList<>(suspects.keySet());
      if (tokens.isEmpty()) {
        return;
      }
      Map<String, String> found;
      try {
        found = scripts.findJobsLockedBy(tokens);
      } catch (RuntimeException e) {
        return;
      }
      for (Map.Entry<String, String> orphan : found.entrySet()) {
        if (!giveBack(orphan.getKey(), orphan.getValue())) {
          return;
        }
      }
      tokens.forEach(suspects::remove);
    } finally {
      sweeping.set(false);
    }
  }

  /** Returns false when Redis went away again (sweep later). */
  private boolean giveBack(String jobId, String token) {
    if (renewer != null && renewer.holds(jobId, token)) {
      return true;
    }
    try {
      scripts.moveJobFromActiveToWait(jobId, token);
      return true;
    } catch (RuntimeException e) {
      if (RedisCalls.isConnectionProblem(e)) {
        return false;
      }
      events.error(e);
      return true;
    }
  }
}
