package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a worker's embedded scheduler recovers stalled jobs (jobs whose lock expired because their worker died or
 * blocked), with BullMQ 6's names and defaults: a check every {@link #interval()}, and a job that stalls more
 * than {@link #maxCount()} times fails.
 *
 * <pre>{@code
 * WorkerOptions.builder().redis(redis).stalled(StalledOptions.builder().interval(Duration.ofSeconds(5)).build())
 * }</pre>
 */
public final class StalledOptions {
  private static final StalledOptions DEFAULTS = builder().build();

  private final Duration interval;
  private final int maxCount;
  private final boolean skipCheck;

  private StalledOptions(Builder b) {
    this.interval = b.interval;
    this.maxCount = b.maxCount;
    this.skipCheck = b.skipCheck;
  }

  /** A check every 30 s; a job may stall once. */
  public static StalledOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().interval(interval).maxCount(maxCount).skipCheck(skipCheck);
  }

  /** Period of the stalled-job check (BullMQ's {@code stalledInterval}, 30 s by default). */
  public Duration interval() {
    return interval;
  }

  /** How often a job may stall before it fails (BullMQ's {@code maxStalledCount}, 1 by default). */
  public int maxCount() {
    return maxCount;
  }

  /** Whether this worker runs no stalled check (BullMQ's {@code skipStalledCheck}; false by default). */
  public boolean skipCheck() {
    return skipCheck;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StalledOptions o && interval.equals(o.interval) && maxCount == o.maxCount
        && skipCheck == o.skipCheck;
  }

  @Override
  public int hashCode() {
    return Objects.hash(interval, maxCount, skipCheck);
  }

  @Override
  public String toString() {
    return "StalledOptions{interval=" + interval + ", maxCount=" + maxCount + (skipCheck ? ", skipCheck" : "") + "}";
  }

  /** Builds {@link StalledOptions}; every setter validates its value immediately. */
  public static final class Builder {
    private Duration interval = Duration.ofSeconds(30);
    private int maxCount = 1;
    private boolean skipCheck;

    private Builder() {}

    public Builder interval(Duration interval) {
      this.interval = WorkerOptions.atLeastOneMilli("stalled.interval", interval);
      return this;
    }

    public Builder maxCount(int maxCount) {
      if (maxCount < 0) {
        throw new InvalidOptionException("stalled.maxCount", maxCount, "must be >= 0");
      }
      this.maxCount = maxCount;
      return this;
    }

    public Builder skipCheck(boolean skip) {
      this.skipCheck = skip;
      return this;
    }

    public StalledOptions build() {
      return new StalledOptions(this);
    }
  }
}
