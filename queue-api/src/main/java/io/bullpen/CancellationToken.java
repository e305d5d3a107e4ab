package io.bullpen;

import java.time.Duration;
import java.util.Optional;

/**
 * Tells a running processor that its job was cancelled ({@code Queue.cancelJob} from any process, or
 * {@code Worker.cancelJob} locally). Check it between steps, block on it, or register a callback; then stop by
 * throwing (for example with {@link #throwIfCancelled()}). The job then fails with the cancellation reason, and
 * is not retried unless the cancel asked for a retry.
 */
public interface CancellationToken {
  /** A token that is never cancelled (jobs outside a worker). */
  CancellationToken NONE = new CancellationToken() {
    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public Optional<String> reason() {
      return Optional.empty();
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
      Thread.sleep(timeout.toMillis());
      return false;
    }

    @Override
    public void onCancel(Runnable callback) {}
  };

  boolean isCancelled();

  /** The reason given with the cancel, once cancelled. */
  Optional<String> reason();

  /**
   * Waits up to {@code timeout} for a cancel; returns whether the job is cancelled. Handy as an interruptible
   * sleep: {@code if (token.await(Duration.ofSeconds(1))) return;}.
   */
  boolean await(Duration timeout) throws InterruptedException;

  /** Runs {@code callback} once when cancelled (at once, on the caller's thread, if already cancelled). */
  void onCancel(Runnable callback);

  /** Throws {@link JobCancelledException} with the reason when cancelled. */
  default void throwIfCancelled() {
    if (isCancelled()) {
      throw new JobCancelledException(reason().orElse("cancelled"), false);
    }
  }
}
