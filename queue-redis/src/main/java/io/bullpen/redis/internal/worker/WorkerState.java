package io.bullpen.redis.internal.worker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The run state one worker's threads share: paused, closing, the jobs in flight against the concurrency, and
 * a local "rate limited until". Waits here end early whenever the state changes, so closing never has to
 * interrupt a thread that may be in the middle of a Redis call.
 */
final class WorkerState {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Condition fetchesEnded = lock.newCondition();
  /**
   * Calls that may take jobs and have not ended yet. A count, not a read lock: a completion that fetches its
   * successor is sent by one thread and ends on a Redis I/O thread.
   */
  private int fetches;
  private final int concurrency;
  private int inFlight;
  private int maxInFlight;
  private int heldJobs;
  private boolean paused;
  private boolean closing;
  private boolean forced;
  private long rateLimitedUntilNanos;

  public WorkerState(int concurrency) {
    this.concurrency = concurrency;
    this.rateLimitedUntilNanos = System.nanoTime();
  }

  /**
   * Waits for a free slot and takes it. Returns false without taking one when the worker is paused or closing,
   * or after {@code maxWaitMillis}.
   */
  public boolean acquireSlot(long maxWaitMillis) throws InterruptedException {
    long remaining = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    lock.lock();
    try {
      while (inFlight >= concurrency && !closing && !paused) {
        if (remaining <= 0) {
          return false;
        }
        remaining = changed.awaitNanos(remaining);
      }
      if (closing || paused) {
        return false;
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Takes up to {@code max} free slots without waiting (none when paused or closing); returns how many. */
  public int acquireFreeSlots(int max) {
    lock.lock();
    try {
      if (closing || paused) {
        return 0;
      }
      int taken = Math.max(0, Math.min(max, concurrency - inFlight));
      inFlight += taken;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return taken;
    } finally {
      lock.unlock();
    }
  }

  /** Gives back {@code count} slots taken with {@link #acquireFreeSlots}. */
  public void releaseSlots(int count) {
    if (count <= 0) {
      return;
    }
    lock.lock();
    try {
      slotsReleased(count);
    } finally {
      lock.unlock();
    }
  }

  public void releaseSlot() {
    lock.lock();
    try {
      slotsReleased(1);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Wakes the waiters only when one can go on: a free slot after the worker was full, or no slot in use. A busy
   * worker ends a job thousands of times a second and most ends change neither, and every needless wake-up costs
   * a system call on each side.
   */
  private void slotsReleased(int count) {
    boolean wasFull = inFlight >= concurrency;
    inFlight -= count;
    if (wasFull || inFlight == 0) {
      changed.signalAll();
    }
  }

  public int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until no job is in flight; returns false if {@code timeoutMillis} passed first. */
  public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
    long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    lock.lock();
    try {
      while (inFlight > 0) {
        if (remaining <= 0) {
          return false;
        }
        remaining = changed.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Counts {@code count} jobs just taken from Redis as held until {@link #releaseJobs} (settled or given back). */
  public void holdJobs(int count) {
    if (count <= 0) {
      return;
    }
    lock.lock();
    try {
      heldJobs += count;
    } finally {
      lock.unlock();
    }
  }

  public void releaseJobs(int count) {
    if (count <= 0) {
      return;
    }
    lock.lock();
    try {
      heldJobs -= count;
      if (heldJobs == 0) {
        // Only awaitNoHeldJobs waits on the count, and only for zero.
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Jobs taken from Redis and not yet settled or given back. */
  public int heldJobs() {
    lock.lock();
    try {
      return heldJobs;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the worker holds no job, or until it was force-closed (its jobs are then abandoned). */
  public void awaitNoHeldJobs() throws InterruptedException {
    lock.lock();
    try {
      while (heldJobs > 0 && !forced) {
        changed.await();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs a call that may take jobs as it finishes others: asked to take them only while the worker may, and then
   * inside the fetch gate with the jobs it took counted as held, so {@code setPaused(true)} followed by
   * {@link #awaitNoHeldJobs} cannot miss a job taken at the same moment.
   */
  public <T> T fetchingIfAllowed(Function<Boolean, T> call, ToIntFunction<T> jobsTaken) {
    if (!mayFetchNext() || !beginFetch()) {
      return call.apply(false);
    }
    try {
      T result = call.apply(true);
      holdJobs(jobsTaken.applyAsInt(result));
      return result;
    } finally {
      endFetch();
    }
  }

  /** Sleeps up to {@code millis}, waking early when the worker is paused, resumed or closed. */
  public void pauseFor(long millis) throws InterruptedException {
    if (millis <= 0) {
      return;
    }
    lock.lock();
    try {
      boolean wasPaused = paused;
      long remaining = TimeUnit.MILLISECONDS.toNanos(millis);
      while (remaining > 0 && !closing && paused == wasPaused) {
        remaining = changed.awaitNanos(remaining);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Blocks while paused (and not closing), waking at least every {@code maxWaitMillis}. */
  public void awaitNotPaused(long maxWaitMillis) throws InterruptedException {
    long remaining = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    lock.lock();
    try {
      while (paused && !closing && remaining > 0) {
        remaining = changed.awaitNanos(remaining);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Pauses or resumes. Pausing returns only once no fetch that began before it is still running, so no job is
   * taken after {@code setPaused(true)} returns.
   */
  public void setPaused(boolean paused) {
    lock.lock();
    try {
      this.paused = paused;
      changed.signalAll();
      if (paused) {
        // No fetch can begin now; wait for those under way. Each is bounded by the client's command timeout.
        while (fetches > 0) {
          fetchesEnded.awaitUninterruptibly();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts a call that may take a job; returns false (and starts nothing) when paused or closing. A true result
   * must be followed by {@link #endFetch()}, from any thread.
   */
  public boolean beginFetch() {
    lock.lock();
    try {
      if (paused || closing) {
        return false;
      }
      fetches++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  public void endFetch() {
    lock.lock();
    try {
      if (--fetches == 0) {
        fetchesEnded.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  public boolean isPaused() {
    lock.lock();
    try {
      return paused;
    } finally {
      lock.unlock();
    }
  }

  /** Marks the worker closing; with {@code force}, running jobs are abandoned rather than waited for. */
  public void startClosing(boolean force) {
    lock.lock();
    try {
      closing = true;
      forced |= force;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean isClosing() {
    lock.lock();
    try {
      return closing;
    } finally {
      lock.unlock();
    }
  }

  /** Whether jobs still running may stop retrying their final Redis call (forced or timed-out close). */
  public boolean isForced() {
    lock.lock();
    try {
      return forced;
    } finally {
      lock.unlock();
    }
  }

  /** Whether a finishing job may ask for its successor in the same call. */
  public boolean mayFetchNext() {
    lock.lock();
    try {
      return !closing && !paused && System.nanoTime() - rateLimitedUntilNanos >= 0;
    } finally {
      lock.unlock();
    }
  }

  /** Stops fetching for {@code millis} (a rate limit seen by a fetch or reported by a processor). */
  public void rateLimitedFor(long millis) {
    lock.lock();
    try {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      if (until - rateLimitedUntilNanos > 0) {
        rateLimitedUntilNanos = until;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Milliseconds of local rate limit left, 0 when none. */
  public long rateLimitRemainingMillis() {
    lock.lock();
    try {
      long left = rateLimitedUntilNanos - System.nanoTime();
      return left > 0 ? TimeUnit.NANOSECONDS.toMillis(left) + 1 : 0;
    } finally {
      lock.unlock();
    }
  }

  /** Whether a thread is waiting in one of the waits here (for tests). */
  boolean hasWaiters() {
    lock.lock();
    try {
      return lock.hasWaiters(changed);
    } finally {
      lock.unlock();
    }
  }

  /** The highest number of jobs that were in flight at once (for diagnostics and tests). */
  public int maxInFlight() {
    lock.lock();
    try {
      return maxInFlight;
    } finally {
      lock.unlock();
    }
  }
}
