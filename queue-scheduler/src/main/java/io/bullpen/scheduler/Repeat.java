package io.bullpen.scheduler;

import io.bullpen.InvalidOptionException;
import io.bullpen.TimeLimits;
import io.bullpen.scheduler.internal.CronSchedule;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * When a job scheduler runs: a cron {@code pattern} (read in {@code tz}) or a fixed interval {@code every}
 * (aligned to {@code offset}), optionally bounded by {@code startDate}, {@code endDate} and a {@code limit} on
 * the number of runs. BullMQ 6's repeat options; immutable, validated when built.
 *
 * <pre>{@code
 * Repeat nightly = Repeat.cron("0 30 2 * * *").tz("Europe/Berlin").build();   // 02:30 Berlin time, daily
 * Repeat often = Repeat.every(Duration.ofMinutes(5)).limit(100).build();        // every 5 min, 100 runs
 * }</pre>
 *
 * <p>A pattern without {@code tz} is read in the host's default time zone, as BullMQ does; give {@code tz} (an IANA
 * name such as {@code Europe/Berlin}) so that every host, Java or Node, reads it alike.
 */
public final class Repeat {
  private final String pattern;
  private final Long every;
  private final String tz;
  private final Long offset;
  private final Integer limit;
  private final Instant startDate;
  private final Instant endDate;
  private final boolean immediately;

  private Repeat(Builder b) {
    this.pattern = b.pattern;
    this.every = b.every;
    this.tz = b.tz;
    this.offset = b.offset;
    this.limit = b.limit;
    this.startDate = b.startDate;
    this.endDate = b.endDate;
    this.immediately = b.immediately;
  }

  /**
   * Runs on a cron pattern: 6 fields with seconds first, or 5 without.
   *
   * @throws InvalidOptionException when the pattern cannot be read
   */
  public static Builder cron(String pattern) {
    CronSchedule.parse(pattern);
    return new Builder(pattern.trim(), null);
  }

  /** Runs every {@code interval} (whole milliseconds, at least 1). */
  public static Builder every(Duration interval) {
    return new Builder(null, TimeLimits.requireMillis("every", interval, 1));
  }

  /** The cron pattern, for a pattern scheduler. */
  public Optional<String> pattern() {
    return Optional.ofNullable(pattern);
  }

  /** The interval in ms, for an every scheduler. */
  public OptionalLong every() {
    return every == null ? OptionalLong.empty() : OptionalLong.of(every);
  }

  /** The time zone the pattern is read in, if given. */
  public Optional<String> tz() {
    return Optional.ofNullable(tz);
  }

  /** Position of the runs within each interval, in ms, if given (every schedulers). */
  public OptionalLong offset() {
    return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
  }

  /** Most runs in total, if limited. */
  public OptionalInt limit() {
    return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
  }

  public Optional<Instant> startDate() {
    return Optional.ofNullable(startDate);
  }

  public Optional<Instant> endDate() {
    return Optional.ofNullable(endDate);
  }

  /** Whether a pattern scheduler's first run is right away instead of at the first matching time. */
  public boolean immediately() {
    return immediately;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Repeat r && Objects.equals(pattern, r.pattern) && Objects.equals(every, r.every)
        && Objects.equals(tz, r.tz) && Objects.equals(offset, r.offset) && Objects.equals(limit, r.limit)
        && Objects.equals(startDate, r.startDate) && Objects.equals(endDate, r.endDate)
        && immediately == r.immediately;
  }

  @Override
  public int hashCode() {
    return Objects.hash(pattern, every, tz, offset, limit, startDate, endDate, immediately);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Repeat{");
    s.append(pattern != null ? "pattern=" + pattern : "every=" + every + "ms");
    if (tz != null) s.append(", tz=").append(tz);
    if (offset != null) s.append(", offset=").append(offset).append("ms");
    if (limit != null) s.append(", limit=").append(limit);
    if (startDate != null) s.append(", startDate=").append(startDate);
    if (endDate != null) s.append(", endDate=").append(endDate);
    if (immediately) s.append(", immediately");
    return s.append('}').toString();
  }

  /** Builds {@link Repeat}; each setter validates its value, {@link #build()} the combination. */
  public static final class Builder {
    private final String pattern;
    private final Long every;
    private String tz;
    private Long offset;
    private Integer limit;
    private Instant startDate;
    private Instant endDate;
    private boolean immediately;

    private Builder(String pattern, Long every) {
      this.pattern = pattern;
      this.every = every;
    }

    /** The time zone of a cron pattern, e.g. {@code Europe/Berlin}. */
    public Builder tz(String zone) {
      if (zone == null || zone.isBlank()) {
        throw new InvalidOptionException("tz", zone, "must be a time zone id such as Europe/Berlin");
      }
      try {
        ZoneId.of(zone);
      } catch (DateTimeException e) {
        throw new InvalidOptionException("tz", zone, "is not a known time zone: " + e.getMessage());
      }
      this.tz = zone;
      return this;
    }

    public Builder tz(ZoneId zone) {
      if (zone == null) {
        throw new InvalidOptionException("tz", null, "must not be null");
      }
      return tz(zone.getId());
    }

    /** Where in each interval an every scheduler runs (0 to any whole number of ms). */
    public Builder offset(Duration offset) {
      this.offset = TimeLimits.requireMillis("offset", offset, 0);
      return this;
    }

    /** Most runs in total, at least 1. */
    public Builder limit(int limit) {
      if (limit < 1) {
        throw new InvalidOptionException("limit", limit, "must be >= 1");
      }
      this.limit = limit;
      return this;
    }

    /** No run before this time. */
    public Builder startDate(Instant startDate) {
      TimeLimits.requireEpochMillis("startDate", startDate);
      this.startDate = startDate;
      return this;
    }

    /** No run after this time; it must be in the future when the scheduler is upserted. */
    public Builder endDate(Instant endDate) {
      TimeLimits.requireEpochMillis("endDate", endDate);
      this.endDate = endDate;
      return this;
    }

    /** For a pattern: run once right away, then on the pattern. (An every scheduler always starts at once.) */
    public Builder immediately(boolean immediately) {
      this.immediately = immediately;
      return this;
    }

    public Repeat build() {
      if (every != null && tz != null) {
        throw new InvalidOptionException("tz", tz, "only applies to a cron pattern, not to every");
      }
      if (pattern != null && offset != null) {
        throw new InvalidOptionException("offset", offset, "only applies to every, not to a cron pattern");
      }
      if (every != null && immediately) {
        throw new InvalidOptionException("immediately", true,
            "only applies to a cron pattern (an every scheduler runs at once unless it has an offset or startDate)");
      }
      if (immediately && startDate != null) {
        throw new InvalidOptionException("immediately", true, "cannot be combined with startDate " + startDate);
      }
      if (startDate != null && endDate != null && !endDate.isAfter(startDate)) {
        throw new InvalidOptionException("endDate", endDate, "must be after startDate " + startDate);
      }
      return new Repeat(this);
    }
  }
}
