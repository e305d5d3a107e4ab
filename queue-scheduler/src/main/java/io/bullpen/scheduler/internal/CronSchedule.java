package io.bullpen.scheduler.internal;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.bullpen.InvalidOptionException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A cron pattern read the way BullMQ's cron-parser reads it: 6 fields with seconds first, or 5 without (seconds
 * 0); names for months and days; day of week 0-7 (0 and 7 are Sunday); {@code L} and {@code #}; {@code ?} as
 * {@code *}; day of month and day of week combined with OR when both are restricted; the {@code @daily}-style
 * aliases.
 *
 * <p>Runs are computed on the local wall clock of a zone, and daylight-saving changes never skip or double a
 * run: a local time that does not exist (clocks jump forward) runs shifted by the length of the jump, and a local
 * time that happens twice (clocks fall back) runs once, at its first occurrence, unless the pattern fires every
 * hour, in which case both occurrences run since they are an hour apart. cron-parser does the same in the usual
 * cases; where several runs fall into a skipped hour it keeps only the first, and Bullpen keeps them all.
 */
public final class CronSchedule {
  private static final CronParser PARSER = new CronParser(definition());
  private static final Map<String, String> ALIASES = Map.of(
      "@yearly", "0 0 0 1 1 *",
      "@annually", "0 0 0 1 1 *",
      "@monthly", "0 0 0 1 * *",
      "@weekly", "0 0 0 * * 0",
      "@daily", "0 0 0 * * *",
      "@midnight", "0 0 0 * * *",
      "@hourly", "0 0 * * * *",
      "@minutely", "0 * * * * *",
      "@secondly", "* * * * * *",
      "@weekdays", "0 0 0 * * 1-5");
  private static final String WEEKENDS = "0 0 0 * * 0,6";
  private static final int MAX_STEPS = 100_000;

  private final String pattern;
  private final ExecutionTime execution;
  private final boolean everyHour;

  private CronSchedule(String pattern, ExecutionTime execution, boolean everyHour) {
    this.pattern = pattern;
    this.execution = execution;
    this.everyHour = everyHour;
  }

  /**
   * Parses {@code pattern}.
   *
   * @throws InvalidOptionException naming the field {@code pattern} when it cannot be read
   */
  public static CronSchedule parse(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      throw new InvalidOptionException("pattern", pattern, "a cron pattern is required");
    }
    String trimmed = pattern.trim();
    String expanded = trimmed.equals("@weekends") ? WEEKENDS : ALIASES.getOrDefault(trimmed, trimmed);
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5 && fields.length != 6) {
      throw new InvalidOptionException("pattern", pattern,
          "must have 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, not "
              + fields.length);
    }
    String[] six = fields.length == 6 ? fields : prepend("0", fields);
    for (int i = 0; i < six.length; i++) {
      String field = six[i].toUpperCase(Locale.ROOT);
      String withoutNames = field.replace("THU", "").replace("WED", "");
      if (withoutNames.indexOf('H') >= 0) {
        throw new InvalidOptionException("pattern", pattern, "hashed values (H) are not supported");
      }
      if (withoutNames.indexOf('W') >= 0) {
        throw new InvalidOptionException("pattern", pattern, "nearest-weekday values (W) are not supported");
      }
      six[i] = field.replace('?', '*');
    }
    Cron cron;
    try {
      cron = PARSER.parse(String.join(" ", six));
      cron.validate();
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("pattern", pattern, "is not a valid cron pattern: " + e.getMessage());
    }
    return new CronSchedule(trimmed, ExecutionTime.forCron(cron), coversEveryHour(six[2]));
  }

  public String pattern() {
    return pattern;
  }

  /** Whether the hour field matches all 24 hours (then both passes of a repeated hour run). */
  public boolean firesEveryHour() {
    return everyHour;
  }

  /**
   * The first run strictly after {@code afterMillis}, in {@code zone}; empty when the pattern never fires again
   * (for example the 30th of February).
   */
  public OptionalLong nextAfter(long afterMillis, ZoneId zone) {
    Instant after = Instant.ofEpochMilli(afterMillis);
    ZoneRules rules = zone.getRules();
    Instant best = firstPassRun(after, zone, rules);
    if (everyHour) {
      Instant repeated = secondPassRun(after, rules);
      if (repeated != null && (best == null || repeated.isBefore(best))) {
        best = repeated;
      }
    }
    return best == null ? OptionalLong.empty() : OptionalLong.of(best.toEpochMilli());
  }

  /**
   * The earliest run that maps each matching local time to one instant: its only one, the earlier one of a
   * repeated time, or (for a time skipped by clocks jumping forward) the time shifted by the jump.
   */
  private Instant firstPassRun(Instant after, ZoneId zone, ZoneRules rules) {
    LocalDateTime start = LocalDateTime.ofInstant(after, zone);
    ZoneOffsetTransition last = rules.previousTransition(after.plusNanos(1));
    if (last != null && after.isBefore(last.getInstant().plus(last.getDuration().abs()))) {
      if (last.isOverlap()) {
        // Second pass of a repeated hour: earlier-offset images of the repeated local times are in the past.
        LocalDateTime overlapEnd = last.getDateTimeBefore().minusNanos(1);
        start = start.isAfter(overlapEnd) ? start : overlapEnd;
      } else {
        // Just after a jump forward: skipped local times shifted by the jump can still be ahead of us.
        start = start.minus(last.getDuration());
      }
    }
    LocalDateTime local = nextLocal(start);
    for (int step = 0; local != null; step++) {
      if (step > MAX_STEPS) {
        throw new IllegalStateException("cron pattern " + pattern + " found no run after " + after);
      }
      Instant run = ZonedDateTime.ofLocal(local, zone, null).toInstant();
      if (run.isAfter(after)) {
        ZoneOffsetTransition gap = rules.getTransition(local);
        if (gap != null && gap.isGap()) {
          // A shifted skipped time may come after the first real time behind the jump.
          LocalDateTime gapEnd = gap.getDateTimeAfter().minusNanos(1);
          LocalDateTime now = LocalDateTime.ofInstant(after, zone);
          LocalDateTime behind = nextLocal(now.isAfter(gapEnd) ? now : gapEnd);
          if (behind != null) {
            Instant behindRun = ZonedDateTime.ofLocal(behind, zone, null).toInstant();
            if (behindRun.isAfter(after) && behindRun.isBefore(run)) {
              run = behindRun;
            }
          }
        }
        return run;
      }
      local = nextLocal(local);
    }
    return null;
  }

  /** For every-hour patterns: the first run in the second pass of a repeated hour that is still ahead. */
  private Instant secondPassRun(Instant after, ZoneRules rules) {
    ZoneOffsetTransition overlap = null;
    ZoneOffsetTransition last = rules.previousTransition(after.plusNanos(1));
    if (last != null && last.isOverlap() && after.isBefore(last.getInstant().plus(last.getDuration().abs()))) {
      overlap = last;
    } else {
      ZoneOffsetTransition next = rules.nextTransition(after);
      if (next != null && next.isOverlap()
          && !after.isBefore(next.getInstant().minus(next.getDuration().abs()))) {
        overlap = next;
      }
    }
    if (overlap == null) {
      return null;
    }
    ZoneOffset later = overlap.getOffsetAfter();
    LocalDateTime repeatedFrom = overlap.getDateTimeAfter();
    LocalDateTime repeatedUntil = overlap.getDateTimeBefore();
    LocalDateTime start = LocalDateTime.ofInstant(after, later);
    if (start.isBefore(repeatedFrom)) {
      start = repeatedFrom.minusNanos(1);
    }
    LocalDateTime local = nextLocal(start);
    if (local == null || !local.isBefore(repeatedUntil)) {
      return null;
    }
    return local.toInstant(later);
  }

  /** The next matching wall-clock time strictly after {@code local}, ignoring time zones. */
  private LocalDateTime nextLocal(LocalDateTime local) {
    Optional<ZonedDateTime> next = execution.nextExecution(local.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC));
    return next.map(ZonedDateTime::toLocalDateTime).orElse(null);
  }

  /** Whether an (already validated) hour field selects all 24 hours. */
  static boolean coversEveryHour(String hourField) {
    BitSet hours = new BitSet(24);
    for (String part : hourField.split(",")) {
      int slash = part.indexOf('/');
      String range = slash >= 0 ? part.substring(0, slash) : part;
      int step = slash >= 0 ? Integer.parseInt(part.substring(slash + 1)) : 1;
      int from;
      int to;
      if (range.equals("*")) {
        from = 0;
        to = 23;
      } else if (range.contains("-")) {
        from = Integer.parseInt(range.substring(0, range.indexOf('-')));
        to = Integer.parseInt(range.substring(range.indexOf('-') + 1));
      } else {
        from = Integer.parseInt(range);
        to = slash >= 0 ? 23 : from;
      }
      for (int h = from; h <= to && h < 24; h += step) {
        hours.set(h);
      }
    }
    return hours.cardinality() == 24;
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static CronDefinition definition() {
    // No '?' support on purpose: with it, cron-utils would combine a restricted day of month and day of week
    // with AND; without it, with OR, as cron-parser does ('?' is read as '*' before parsing).
    return CronDefinitionBuilder.defineCron()
        .withSeconds().withValidRange(0, 59).withStrictRange().and()
        .withMinutes().withValidRange(0, 59).withStrictRange().and()
        .withHours().withValidRange(0, 23).withStrictRange().and()
        .withDayOfMonth().withValidRange(1, 31).supportsL().withStrictRange().and()
        .withMonth().withValidRange(1, 12).withStrictRange().and()
        .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).supportsHash().supportsL()
        .withStrictRange().and()
        .instance();
  }

  @Override
  public String toString() {
    return "CronSchedule{" + pattern + "}";
  }
}
