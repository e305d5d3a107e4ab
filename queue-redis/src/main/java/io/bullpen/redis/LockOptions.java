package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a worker holds the locks of the jobs it runs, with BullMQ 6's names and defaults: each lock lives for
 * {@link #duration()} unless renewed, and the worker renews it about every {@link #renewTime()} / 2.
 *
 * <pre>{@code
 * WorkerOptions.builder().redis(redis).locks(LockOptions.builder().duration(Duration.ofSeconds(60)).build())
 * }</pre>
 */
public final class LockOptions {
  private static final LockOptions DEFAULTS = builder().build();

  private final Duration duration;
  private final Duration renewTimeGiven;
  private final boolean skipRenewal;

  private LockOptions(Builder b) {
    this.duration = b.duration;
    this.renewTimeGiven = b.renewTime;
    this.skipRenewal = b.skipRenewal;
  }

  /** 30 s locks, renewed. */
  public static LockOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.duration = duration;
    b.renewTime = renewTimeGiven;
    b.skipRenewal = skipRenewal;
    return b;
  }

  /** How long a job's lock lives without renewal (BullMQ's {@code lockDuration}, 30 s by default). */
  public Duration duration() {
    return duration;
  }

  /** Renewal cadence base; locks are renewed every half of it or so (BullMQ's {@code lockRenewTime}, duration / 2 by default). */
  public Duration renewTime() {
    return renewTimeGiven != null ? renewTimeGiven : duration.dividedBy(2);
  }

  /** Whether the worker leaves its locks to expire (BullMQ's {@code skipLockRenewal}; false by default). */
  public boolean skipRenewal() {
    return skipRenewal;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LockOptions o && duration.equals(o.duration)
        && Objects.equals(renewTimeGiven, o.renewTimeGiven) && skipRenewal == o.skipRenewal;
  }

  @Override
  public int hashCode() {
    return Objects.hash(duration, renewTimeGiven, skipRenewal);
  }

  @Override
  public String toString() {
    return "LockOptions{duration=" + duration + ", renewTime=" + renewTime()
        + (skipRenewal ? ", skipRenewal" : "") + "}";
  }

  /** Builds {@link LockOptions}; every setter validates its value immediately. */
  public static final class Builder {
    private Duration duration = Duration.ofSeconds(30);
    private Duration renewTime;
    private boolean skipRenewal;

    private Builder() {}

    public Builder duration(Duration duration) {
      this.duration = WorkerOptions.atLeastOneMilli("locks.duration", duration);
      return this;
    }

    public Builder renewTime(Duration renewTime) {
      this.renewTime = WorkerOptions.atLeastOneMilli("locks.renewTime", renewTime);
      return this;
    }

    public Builder skipRenewal(boolean skip) {
      this.skipRenewal = skip;
      return this;
    }

    /** @throws InvalidOptionException when the renew time is not shorter than the duration */
    public LockOptions build() {
      if (renewTime != null && renewTime.compareTo(duration) >= 0) {
        throw new InvalidOptionException("locks.renewTime", renewTime,
            "must be shorter than locks.duration (" + duration + ")");
      }
      return new LockOptions(this);
    }
  }
}
