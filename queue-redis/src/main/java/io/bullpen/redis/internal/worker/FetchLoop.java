package io.bullpen.redis.internal.worker;

import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.settle.ClaimedJobs;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A worker's fetching thread, the same for every worker kind. While not paused, closing or rate limited, and
 * while a slot is free, it claims work from its {@link WorkSource} and starts it. After an empty fetch it waits
 * on the marker (no polling). When Redis is unreachable it reports the error and tries again after a pause that
 * doubles from 100 ms to 5 s, so the worker carries on by itself once Redis is back.
 */
final class FetchLoop implements Runnable {
  private static final long FIRST_ERROR_PAUSE_MILLIS = 100;
  private static final long LONGEST_ERROR_PAUSE_MILLIS = 5_000;
  private static final long STATE_CHECK_MILLIS = 1_000;

  private final WorkerState state;
  private final MarkerWaiter markerWaiter;
  private final WorkerEvents events;
  private final Supplier<String> tokens;
  private final OrphanClaims orphans;
  private final long maximumRateLimitDelayMillis;
  private WorkSource source;
  private volatile long nextDelayedDue;
  private volatile boolean drained;
  /** {@link System#nanoTime()} of the last fetch Redis answered; 0 before the first. */
  private volatile long lastFetchNanos;
  private boolean drainedReported;

  FetchLoop(WorkerState state, MarkerWaiter markerWaiter, WorkerEvents events, Supplier<String> tokens,
      OrphanClaims orphans, long maximumRateLimitDelayMillis) {
    this.state = state;
    this.markerWaiter = markerWaiter;
    this.events = events;
    this.tokens = tokens;
    this.orphans = orphans;
    this.maximumRateLimitDelayMillis = maximumRateLimitDelayMillis;
  }

  /** Time since a fetch last got an answer, or null before the first. */
  Duration sinceLastFetch() {
    long last = lastFetchNanos;
    return last == 0 ? null : Duration.ofNanos(System.nanoTime() - last);
  }

  /** Set once before the loop starts (a source and its loop refer to each other). */
  void setSource(WorkSource source) {
    this.source = source;
  }

  /** Takes note of what a claim made elsewhere (a finishing job's fetch-next) saw when it found nothing. */
  void observe(long rateLimitTtlMillis, long nextDelayedDueMillis) {
    if (rateLimitTtlMillis > 0) {
      state.rateLimitedFor(rateLimitTtlMillis);
    }
    if (nextDelayedDueMillis > 0) {
      nextDelayedDue = nextDelayedDueMillis;
    }
  }

  /**
   * A finishing job asked Redis for its successor and there was none: the next fetch here waits for the marker
   * first, as BullMQ's worker does after an empty fetch, instead of asking again at once.
   */
  void markDrained() {
    drained = true;
  }

  @Override
  public void run() {
    long errorPause = FIRST_ERROR_PAUSE_MILLIS;
    while (!state.isClosing()) {
      try {
        if (state.isPaused()) {
          state.awaitNotPaused(STATE_CHECK_MILLIS);
          continue;
        }
        long limited = state.rateLimitRemainingMillis();
        if (limited > 0) {
          state.pauseFor(Math.min(limited, maximumRateLimitDelayMillis));
          continue;
        }
        if (!state.acquireSlot(STATE_CHECK_MILLIS)) {
          continue;
        }
        fetchOnce();
        errorPause = FIRST_ERROR_PAUSE_MILLIS;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (state.isClosing()) {
          return;
        }
        events.error(e);
        try {
          state.pauseFor(errorPause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        errorPause = Math.min(errorPause * 2, LONGEST_ERROR_PAUSE_MILLIS);
      }
    }
  }

  /** With a slot taken: waits for work if the last fetch was empty, then claims work and starts it. */
  private void fetchOnce() throws InterruptedException {
    boolean handedOff = false;
    try {
      if (drained) {
        markerWaiter.await(nextDelayedDue, () -> state.isClosing() || state.isPaused());
        if (state.isClosing() || state.isPaused()) {
          return;
        }
      }
      String token = tokens.get();
      if (!state.beginFetch()) {
        return;
      }
      ClaimedJobs claimed;
      try {
        claimed = source.claim(token);
        state.holdJobs(claimed.jobs().size());
      } catch (RuntimeException e) {
        if (RedisCalls.mayHaveRun(e)) {
          orphans.suspect(token);
        }
        throw e;
      } finally {
        state.endFetch();
      }
      lastFetchNanos = System.nanoTime();
      orphans.sweep();
      if (!claimed.jobs().isEmpty()) {
        drained = false;
        drainedReported = false;
        handedOff = true;
        source.start(claimed, token);
        return;
      }
      nextDelayedDue = claimed.nextDelayedDueMillis();
      if (claimed.rateLimitTtlMillis() > 0) {
        state.rateLimitedFor(claimed.rateLimitTtlMillis());
        drained = false;
        return;
      }
      drained = true;
      if (!drainedReported) {
        drainedReported = true;
        events.drained();
      }
    } finally {
      if (!handedOff) {
        state.releaseSlot();
      }
    }
  }
}
