package io.bullpen.scheduler.internal;

import java.time.ZoneId;
import java.util.OptionalLong;

/**
 * When a job scheduler's runs happen, with BullMQ 6's rules: the first run at upsert, the next one when the
 * current one starts, and the limit and end date that stop a schedule. Pure functions of their arguments (all
 * times epoch ms), so they read the same on every host.
 */
public final class Runs {
  private Runs() {}

  /** The zone a pattern is read in: {@code tz}, or the host's default zone when none is given (as BullMQ). */
  public static ZoneId zone(String tz) {
    return tz == null || tz.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(tz);
  }

  /**
   * The first run of a pattern scheduler upserted at {@code now}: right away with {@code immediately}, else the
   * first match after now, or at or after the start date (BullMQ's cron-parser skips a match exactly at the start
   * date; Bullpen runs it); empty when there is none before {@code endDate}.
   */
  public static OptionalLong firstPatternRun(CronSchedule cron, String tz, long now, Long startDate, Long endDate,
      boolean immediately) {
    if (immediately) {
      return OptionalLong.of(now);
    }
    Long inclusiveStart = startDate != null && startDate > now ? startDate - 1 : null;
    return patternRunAfter(cron, tz, now, inclusiveStart, endDate);
  }

  /**
   * The run after the one due at {@code previous} that starts at {@code now}: the first match after the later of
   * the two (so a late start skips the slots it missed, and an early start never repeats its own slot).
   */
  public static OptionalLong nextPatternRun(CronSchedule cron, String tz, long now, long previous, Long startDate,
      Long endDate) {
    return patternRunAfter(cron, tz, Math.max(now, previous), startDate, endDate);
  }

  private static OptionalLong patternRunAfter(CronSchedule cron, String tz, long from, Long startDate,
      Long endDate) {
    long after = startDate != null && startDate > from ? startDate : from;
    OptionalLong next = cron.nextAfter(after, zone(tz));
    if (next.isEmpty() || (endDate != null && next.getAsLong() > endDate)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.max(next.getAsLong(), from));
  }

  /**
   * Whether a scheduler whose starting run is number {@code count} (1 for the first) may not produce another
   * one: its {@code limit} is reached, or {@code now} is past its end date.
   */
  public static boolean finished(int count, Integer limit, Long endDate, long now) {
    return (limit != null && count + 1 > limit) || (endDate != null && now > endDate);
  }
}
