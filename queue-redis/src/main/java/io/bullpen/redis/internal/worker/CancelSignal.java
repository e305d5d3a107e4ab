package io.bullpen.redis.internal.worker;

import io.bullpen.CancellationToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cancellation token of one attempt; the first cancel wins. */
final class CancelSignal implements CancellationToken {
  private static final Logger LOG = LoggerFactory.getLogger(CancelSignal.class);

  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final List<Runnable> callbacks = new ArrayList<>();
  private volatile String reason;
  private volatile boolean retry;

  /** Cancels; returns false when it was cancelled already. */
  public boolean cancel(String reason, boolean retry) {
    List<Runnable> toRun;
    synchronized (callbacks) {
      if (this.reason != null) {
        return false;
      }
      this.reason = reason == null || reason.isEmpty() ? "cancelled" : reason;
      this.retry = retry;
      toRun = new ArrayList<>(callbacks);
      callbacks.clear();
    }
    cancelled.countDown();
    toRun.forEach(CancelSignal::runQuietly);
    return true;
  }

  @Override
  public boolean isCancelled() {
    return reason != null;
  }

  @Override
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** Whether the cancel allowed a retry. */
  public boolean retry() {
    return retry;
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    return cancelled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void onCancel(Runnable callback) {
    synchronized (callbacks) {
      if (reason == null) {
        callbacks.add(callback);
        return;
      }
    }
    runQuietly(callback);
  }

  private static void runQuietly(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("a cancellation callback threw", e);
    }
  }
}
