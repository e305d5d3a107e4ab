package io.bullpen.redis.internal.worker;

import io.bullpen.redis.internal.settle.BatchScripts;
import io.bullpen.redis.internal.settle.ClaimedJobs;
import io.bullpen.redis.internal.settle.FetchResult;
import io.bullpen.redis.internal.settle.WorkerScripts;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * A worker's fetching thread. While not paused, closing or rate limited, and while a slot is free, it takes
 * jobs one at a time with moveToActive and hands them to the {@link JobRunner}. After an empty fetch it waits on
 * the marker (no polling). When Redis is unreachable it reports the error and tries again after a pause that
 * doubles from 100 ms to 5 s, so the worker carries on by itself once Redis is back.
 */
public final class FetchLoop implements Runnable {
  private static final long FIRST_ERROR_PAUSE_MILLIS = 100;
  private static final long LONGEST_ERROR_PAUSE_MILLIS = 5_000;
  private static final long STATE_CHECK_MILLIS = 1_000;
  private static final int MAX_CLAIM = 200;

  private final WorkerScripts scripts;
  private final BatchScripts batch;
  private final long lockDurationMillis;
  private final WorkerState state;
  private final MarkerWaiter markerWaiter;
  private final WorkerEvents events;
  private final Supplier<String> tokens;
  private final Clock clock;
  private final long maximumRateLimitDelayMillis;
  private JobRunner runner;
  private volatile long nextDelayedDue;
  private volatile boolean drained;
  private boolean drainedReported;

  public FetchLoop(WorkerScripts scripts, BatchScripts batch, long lockDurationMillis, WorkerState state,
      MarkerWaiter markerWaiter, WorkerEvents events, Supplier<String> tokens, Clock clock,
      long maximumRateLimitDelayMillis) {
    this.scripts = scripts;
    this.batch = batch;
    this.lockDurationMillis = lockDurationMillis;
    this.state = state;
    this.markerWaiter = markerWaiter;
    this.events = events;
    this.tokens = tokens;
    this.clock = clock;
    this.maximumRateLimitDelayMillis = maximumRateLimitDelayMillis;
  }

  /** Set once before the loop starts (the runner and the loop refer to each other). */
  public void setRunner(JobRunner runner) {
    this.runner = runner;
  }

  /** Takes note of an empty fetch made elsewhere (a finishing job's fetch-next). */
  public void observe(FetchResult fetched) {
    if (fetched.rateLimitTtlMillis() > 0) {
      state.rateLimitedFor(fetched.rateLimitTtlMillis());
    }
    if (fetched.nextDelayedDueMillis() > 0) {
      nextDelayedDue = fetched.nextDelayedDueMillis();
    }
  }

  /**
   * A finishing job asked Redis for its successor and there was none: the next fetch here waits for the marker
   * first, as BullMQ's worker does after an empty fetch, instead of asking again at once.
   */
  public void markDrained() {
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

  /**
   * Claims up to {@code 1 + extra} jobs with one script; the extra slots are already taken. Every job but the
   * first is started here; slots left unused are given back. Returns the first job (or why there was none).
   */
  private FetchResult claimSeveral(String token, int extra) {
    ClaimedJobs claimed = batch.claim(token, 1 + extra, lockDurationMillis, clock.millis());
    int count = claimed.jobs().size();
    state.releaseSlots(extra - Math.max(0, count - 1));
    if (count == 0) {
      return new FetchResult(null, null, claimed.rateLimitTtlMillis(), claimed.nextDelayedDueMillis());
    }
    for (int i = 1; i < count; i++) {
      runner.start(claimed.asFetchResult(i), token);
    }
    return claimed.asFetchResult(0);
  }

  /** With a slot taken: waits for work if the last fetch was empty, then fetches one job (or several). */
  private void fetchOnce() {
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
      // With several slots free (start-up, after an idle spell) one claim fills them all.
      int extra = state.acquireFreeSlots(MAX_CLAIM - 1);
      FetchResult fetched;
      try {
        fetched = extra == 0 ? scripts.moveToActive(token, clock.millis()) : claimSeveral(token, extra);
      } catch (RuntimeException e) {
        state.releaseSlots(extra);
        throw e;
      } finally {
        state.endFetch();
      }
      if (fetched.hasJob()) {
        drained = false;
        drainedReported = false;
        handedOff = true;
        runner.start(fetched, token);
        return;
      }
      nextDelayedDue = fetched.nextDelayedDueMillis();
      if (fetched.rateLimitTtlMillis() > 0) {
        state.rateLimitedFor(fetched.rateLimitTtlMillis());
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
