package io.bullpen.redis.internal.worker;

import io.bullpen.BullpenException;
import io.bullpen.JobNotFoundException;
import io.bullpen.redis.internal.script.RedisCalls;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Delivers a job's final Redis move exactly once. A move that certainly did not run (no connection, or a passing
 * refusal such as {@code LOADING} or {@code BUSY}) is sent again; so is a move that may have run (the connection
 * dropped after sending, or the reply came too late), because the scripts make a second send of the same move
 * harmless: the lock token that released the job is recorded on it, and the repeat reports "done already"
 * instead of a lost lock. Retries go on, with pauses from 100 ms to 5 s, while the job's lock would still hold
 * (renewals go on meanwhile and extend it); then the worker says once that the outcome could not be recorded and
 * leaves the job to stalled recovery. A forced close stops the retries at once.
 *
 * <p>A fetch token used by a send that may have run is reported to {@link OrphanClaims}, and every send uses a
 * fresh one, so a job such a send locked is given back instead of waiting for its lock to expire.
 */
final class FinalMoves {
  private static final long FIRST_RETRY_PAUSE_MILLIS = 100;
  private static final long LONGEST_RETRY_PAUSE_MILLIS = 5_000;

  private final WorkerState state;
  private final WorkerEvents events;
  private final LockRenewer renewer;
  private final long lockDurationNanos;
  private final Supplier<String> tokens;
  private final OrphanClaims orphans;
  private final String queueName;

  /** One send of a move; {@code fetchToken} locks the jobs it fetches with it and is new for every send. */
  @FunctionalInterface
  interface Send<T> {
    T send(String fetchToken);
  }

  /**
   * What the send that got through returned, the fetch token it used, and whether an earlier send may have run
   * (then a job found missing was most likely removed by that earlier send, as its keep policy asked).
   */
  record Sent<T>(T value, String fetchToken, boolean resent) {}

  /** @param renewer the worker's lock renewal, or null when it skips renewal */
  FinalMoves(WorkerState state, WorkerEvents events, LockRenewer renewer, long lockDurationMillis,
      Supplier<String> tokens, OrphanClaims orphans, String queueName) {
    this.state = state;
    this.events = events;
    this.renewer = renewer;
    this.lockDurationNanos = TimeUnit.MILLISECONDS.toNanos(lockDurationMillis);
    this.tokens = tokens;
    this.orphans = orphans;
    this.queueName = queueName;
  }

  /**
   * Sends the move of {@code jobIds} until it gets through.
   *
   * @param fetches whether the move may fetch jobs with its token
   * @param whenGone the outcome to report when a repeated send finds the job gone (null: throw)
   */
  <T> Sent<T> run(Collection<String> jobIds, boolean fetches, Send<T> move, Supplier<T> whenGone) {
    return deliver(jobIds, fetches, move, whenGone, null, null);
  }

  /**
   * Goes on as {@link #run} after a first send (made elsewhere, without waiting, with {@code firstToken}) failed
   * with {@code firstFailure}: throws it when it is final, else sends again as {@link #run} would have.
   */
  <T> Sent<T> afterFailure(Collection<String> jobIds, boolean fetches, Send<T> move, Supplier<T> whenGone,
      RuntimeException firstFailure, String firstToken) {
    return deliver(jobIds, fetches, move, whenGone, firstFailure, firstToken);
  }

  private <T> Sent<T> deliver(Collection<String> jobIds, boolean fetches, Send<T> move, Supplier<T> whenGone,
      RuntimeException firstFailure, String firstToken) {
    long started = System.nanoTime();
    long pause = FIRST_RETRY_PAUSE_MILLIS;
    boolean resent = false;
    boolean reported = false;
    RuntimeException failure = firstFailure;
    String token = firstToken;
    while (true) {
      if (failure == null) {
        token = tokens.get();
        try {
          T value = move.send(token);
          if (resent) {
            orphans.sweep();
          }
          return new Sent<>(value, token, resent);
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      RuntimeException e = failure;
      failure = null;
      if (e instanceof JobNotFoundException) {
        if (!resent || whenGone == null) {
          throw e;
        }
        orphans.sweep();
        return new Sent<>(whenGone.get(), token, true);
      }
      boolean mayHaveRun = RedisCalls.mayHaveRun(e);
      if (!mayHaveRun && !RedisCalls.neverRan(e)) {
        throw e;
      }
      if (mayHaveRun) {
        resent = true;
        if (fetches) {
          orphans.suspect(token);
        }
      }
      if (state.isForced()) {
        throw e;
      }
      if (!reported) {
        events.error(e);
        reported = true;
      }
      long left = lockDeadline(jobIds, started) - System.nanoTime();
      if (left <= 0) {
        throw new BullpenException("could not record the outcome of job(s) " + jobIds + " of queue " + queueName
            + " before their lock ran out (" + e.getMessage() + "); they stay active and the stalled check"
            + " will run them again", e);
      }
      pauseFor(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1), e);
      pause = Math.min(pause * 2, LONGEST_RETRY_PAUSE_MILLIS);
    }
  }

  /** The earliest time one of the jobs' locks runs out: from its last renewal, or from {@code started}. */
  private long lockDeadline(Collection<String> jobIds, long started) {
    long deadline = Long.MAX_VALUE;
    for (String jobId : jobIds) {
      long expires = renewer == null ? -1 : renewer.lockExpiresAtNanos(jobId);
      deadline = Math.min(deadline, expires < 0 ? started + lockDurationNanos : expires);
    }
    return deadline == Long.MAX_VALUE ? started + lockDurationNanos : deadline;
  }

  private static void pauseFor(long millis, RuntimeException failure) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw failure;
    }
  }
}
