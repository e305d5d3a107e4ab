package io.bullpen.scheduler;

import io.bullpen.InvalidOptionException;
import io.bullpen.TimeLimits;
import java.time.Duration;

/**
 * Settings of a {@link QueueScheduler}, with BullMQ's names and defaults for the stalled-job check. Immutable;
 * the builder validates each value at once.
 *
 * <pre>{@code
 * QueueSchedulerOptions options = QueueSchedulerOptions.builder().stalledInterval(Duration.ofSeconds(15)).build();
 * }</pre>
 */
public final class QueueSchedulerOptions {
  private static final QueueSchedulerOptions DEFAULTS = builder().build();

  private final Duration stalledInterval;
  private final int maxStalledCount;
  private final boolean stalledChecks;
  private final boolean delayedPromotion;
  private final Ticker ticker;

  private QueueSchedulerOptions(Builder b) {
    this.stalledInterval = b.stalledInterval;
    this.maxStalledCount = b.maxStalledCount;
    this.stalledChecks = b.stalledChecks;
    this.delayedPromotion = b.delayedPromotion;
    this.ticker = b.ticker;
  }

  /** Every setting at its default. */
  public static QueueSchedulerOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Period of the stalled-job check (30 s by default). */
  public Duration stalledInterval() {
    return stalledInterval;
  }

  /** How often a job may stall before it fails (1 by default). */
  public int maxStalledCount() {
    return maxStalledCount;
  }

  /** Whether stalled jobs are looked for (true by default). */
  public boolean stalledChecks() {
    return stalledChecks;
  }

  /** Whether delayed jobs are moved to wait when they are due (true by default). */
  public boolean delayedPromotion() {
    return delayedPromotion;
  }

  /** The time source ({@link Ticker#system()} by default). */
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public String toString() {
    return "QueueSchedulerOptions{stalledInterval=" + stalledInterval + ", maxStalledCount=" + maxStalledCount
        + ", stalledChecks=" + stalledChecks + ", delayedPromotion=" + delayedPromotion + "}";
  }

  /** Builds {@link QueueSchedulerOptions}. */
  public static final class Builder {
    private Duration stalledInterval = Duration.ofSeconds(30);
    private int maxStalledCount = 1;
    private boolean stalledChecks = true;
    private boolean delayedPromotion = true;
    private Ticker ticker = Ticker.system();

    private Builder() {}

    public Builder stalledInterval(Duration interval) {
      TimeLimits.requireMillis("stalledInterval", interval, 1);
      this.stalledInterval = interval;
      return this;
    }

    public Builder maxStalledCount(int count) {
      if (count < 0) {
        throw new InvalidOptionException("maxStalledCount", count, "must be >= 0");
      }
      this.maxStalledCount = count;
      return this;
    }

    public Builder stalledChecks(boolean enabled) {
      this.stalledChecks = enabled;
      return this;
    }

    public Builder delayedPromotion(boolean enabled) {
      this.delayedPromotion = enabled;
      return this;
    }

    public Builder ticker(Ticker ticker) {
      if (ticker == null) {
        throw new InvalidOptionException("ticker", null, "must not be null");
      }
      this.ticker = ticker;
      return this;
    }

    public QueueSchedulerOptions build() {
      return new QueueSchedulerOptions(this);
    }
  }
}
