package io.bullpen;

import java.time.Duration;

/**
 * Batch shape of a {@code BatchWorker}: at most {@code size} jobs per processor call, and at most
 * {@code maxWait} spent collecting them once a batch has its first job.
 */
public final class BatchOptions {
  /** Largest batch size allowed (a batch is claimed and settled in single script calls). */
  public static final int MAX_SIZE = 10_000;

  private final int size;
  private final Duration maxWait;

  private BatchOptions(int size, Duration maxWait) {
    this.size = size;
    this.maxWait = maxWait;
  }

  /** Batches of up to {@code size} jobs, waiting at most {@code maxWait} to fill one. */
  public static BatchOptions of(int size, Duration maxWait) {
    if (size < 1 || size > MAX_SIZE) {
      throw new InvalidOptionException("batch.size", size, "must be between 1 and " + MAX_SIZE);
    }
    TimeLimits.requireMillis("batch.maxWait", maxWait, 0);
    return new BatchOptions(size, maxWait);
  }

  public int size() {
    return size;
  }

  public Duration maxWait() {
    return maxWait;
  }

  @Override
  public String toString() {
    return "BatchOptions{size=" + size + ", maxWait=" + maxWait + "}";
  }
}
