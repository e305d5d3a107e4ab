package io.bullpen.scheduler;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** A ticker tests move by hand; threads parked on it wake when it moves. */
final class ManualTicker implements Ticker {
  private final AtomicLong now;
  private final Set<Thread> parked = ConcurrentHashMap.newKeySet();

  ManualTicker(long startMillis) {
    this.now = new AtomicLong(startMillis);
  }

  @Override
  public long millis() {
    return now.get();
  }

  @Override
  public void parkUntil(long deadlineMillis) {
    if (now.get() >= deadlineMillis) {
      return;
    }
    Thread self = Thread.currentThread();
    parked.add(self);
    try {
      if (now.get() < deadlineMillis) {
        // The real-time bound only guards against a lost wake-up; callers look at the time again anyway.
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
      }
    } finally {
      parked.remove(self);
    }
  }

  void advance(long millis) {
    now.addAndGet(millis);
    parked.forEach(LockSupport::unpark);
  }

  /** Whether some thread waits on this ticker right now. */
  boolean hasWaiters() {
    return !parked.isEmpty();
  }
}
