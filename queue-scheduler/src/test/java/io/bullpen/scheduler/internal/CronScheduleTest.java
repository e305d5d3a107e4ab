package io.bullpen.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Expected runs were produced by the cron-parser BullMQ 6.7.0 uses (5.10.3), each run computed from the previous
 * one, so these tests pin Bullpen to the same sequence, daylight-saving changes included.
 */
class CronScheduleTest {
  private static final String BERLIN = "Europe/Berlin";

  @Test
  void dailyRunInTheSkippedHourRunsShiftedByTheJumpOnce() {
    assertRuns("0 30 2 * * *", BERLIN, "2026-03-27T12:00:00Z",
        "2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z");
    assertRuns("0 0 2 * * *", BERLIN, "2026-03-28T12:00:00Z",
        "2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z", "2026-03-31T00:00:00Z");
    assertRuns("0 0 3 * * *", BERLIN, "2026-03-28T12:00:00Z",
        "2026-03-29T01:00:00Z", "2026-03-30T01:00:00Z", "2026-03-31T01:00:00Z");
    assertRuns("0 15 2 * * *", BERLIN, "2026-03-28T23:50:00Z",
        "2026-03-29T01:15:00Z", "2026-03-30T00:15:00Z", "2026-03-31T00:15:00Z");
    assertRuns("0 30 2 * * *", "America/New_York", "2026-03-07T00:00:00Z",
        "2026-03-07T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z");
  }

  @Test
  void shiftedSkippedTimeThatMeetsARealOneRunsOnce() {
    assertRuns("0 30 2,3 * * *", BERLIN, "2026-03-28T23:50:00Z",
        "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z", "2026-03-30T01:30:00Z", "2026-03-31T00:30:00Z");
    assertRuns("0 0 1-3 * * *", BERLIN, "2026-03-28T23:50:00Z",
        "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T23:00:00Z", "2026-03-30T00:00:00Z");
    assertRuns("0 0 */2 * * *", BERLIN, "2026-03-28T23:50:00Z",
        "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z", "2026-03-29T04:00:00Z", "2026-03-29T06:00:00Z");
  }

  @Test
  void hourlyRunsKeepTheirRealSpacingWhenClocksJumpForward() {
    assertRuns("0 0 * * * *", BERLIN, "2026-03-28T23:30:00Z",
        "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z", "2026-03-29T03:00:00Z",
        "2026-03-29T04:00:00Z");
    assertRuns("0 */30 * * * *", BERLIN, "2026-03-29T00:10:00Z",
        "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z", "2026-03-29T02:00:00Z",
        "2026-03-29T02:30:00Z");
  }

  @Test
  void dailyRunInTheRepeatedHourRunsOnlyAtItsFirstOccurrence() {
    assertRuns("0 30 2 * * *", BERLIN, "2026-10-23T12:00:00Z",
        "2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z");
    assertRuns("30 2 * * *", BERLIN, "2026-10-23T12:00:00Z",
        "2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z");
    assertRuns("0 30 2 * * *", BERLIN, "2026-10-25T00:45:00Z", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z");
    assertRuns("0 30 1 * * *", "America/New_York", "2026-11-01T00:00:00Z",
        "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z", "2026-11-03T06:30:00Z");
    assertRuns("0 0,30 2 * * *", BERLIN, "2026-10-24T23:50:00Z",
        "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:00:00Z", "2026-10-26T01:30:00Z");
    assertRuns("0 0 1-3 * * *", BERLIN, "2026-10-24T23:50:00Z",
        "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z", "2026-10-26T00:00:00Z", "2026-10-26T01:00:00Z",
        "2026-10-26T02:00:00Z", "2026-10-27T00:00:00Z");
    assertRuns("0 0 */2 * * *", BERLIN, "2026-10-24T23:50:00Z",
        "2026-10-25T00:00:00Z", "2026-10-25T03:00:00Z", "2026-10-25T05:00:00Z");
    assertRuns("0 30 2-3 * * *", BERLIN, "2026-10-24T23:50:00Z",
        "2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z", "2026-10-26T01:30:00Z", "2026-10-26T02:30:00Z");
  }

  @Test
  void everyHourPatternsRunInBothPassesOfTheRepeatedHour() {
    assertRuns("0 0 * * * *", BERLIN, "2026-10-24T23:30:00Z",
        "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z");
    assertRuns("0 */30 * * * *", BERLIN, "2026-10-24T23:50:00Z",
        "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z",
        "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z", "2026-10-25T03:00:00Z");
    assertRuns("0 15 * * * *", BERLIN, "2026-10-24T23:50:00Z",
        "2026-10-25T00:15:00Z", "2026-10-25T01:15:00Z", "2026-10-25T02:15:00Z", "2026-10-25T03:15:00Z");
    assertRuns("0 0 0-23 * * *", BERLIN, "2026-10-24T23:50:00Z",
        "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z");
    assertRuns("0 0 * * * *", BERLIN, "2026-10-25T00:45:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z");
  }

  @Test
  void zonesWithoutDaylightSavingAreUnaffected() {
    assertRuns("0 0 12 * * *", "Asia/Tokyo", "2026-03-27T00:00:00Z",
        "2026-03-27T03:00:00Z", "2026-03-28T03:00:00Z", "2026-03-29T03:00:00Z");
    assertRuns("0 0 12 * * *", "UTC", "2026-10-24T00:00:00Z",
        "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", "2026-10-26T12:00:00Z");
  }

  @Test
  void everyLocalTimeOfASkippedHourRunsShifted() {
    // cron-parser keeps only the first run here (02:00 -> 03:00); Bullpen does not drop 02:30.
    assertRuns("0 0,30 2 * * *", BERLIN, "2026-03-28T23:50:00Z",
        "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:00:00Z", "2026-03-30T00:30:00Z");
    assertRuns("0 45 2,3 * * *", BERLIN, "2026-03-28T23:50:00Z",
        "2026-03-29T01:45:00Z", "2026-03-30T00:45:00Z", "2026-03-30T01:45:00Z");
    assertRuns("0 15,45 2,3 * * *", BERLIN, "2026-03-29T00:50:00Z",
        "2026-03-29T01:15:00Z", "2026-03-29T01:45:00Z", "2026-03-30T00:15:00Z");
  }

  @Test
  void noRunIsSkippedOrDoubledAcrossAYearOfTransitions() {
    for (String zone : List.of(BERLIN, "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "UTC")) {
      List<Long> daily = runs("0 30 2 * * *", zone, "2026-01-01T00:00:00Z", 366);
      for (int i = 1; i < daily.size(); i++) {
        long gap = daily.get(i) - daily.get(i - 1);
        assertTrue(gap >= 22 * 3_600_000L && gap <= 26 * 3_600_000L, zone + ": daily runs " + gap + " ms apart");
      }
      assertEquals(2027, Instant.ofEpochMilli(daily.get(365)).atZone(ZoneId.of(zone)).getYear(), zone);
      for (var rule : ZoneId.of(zone).getRules().getTransitionRules()) {
        long at = rule.createTransition(2026).getInstant().toEpochMilli();
        List<Long> hourly = runs("0 0 * * * *", zone, Instant.ofEpochMilli(at - 86_400_000L).toString(), 48);
        for (int i = 1; i < hourly.size(); i++) {
          long gap = hourly.get(i) - hourly.get(i - 1);
          // Lord Howe moves its clocks by 30 minutes, so one hourly step is 30 or 90 minutes of real time.
          boolean halfHourShift = zone.equals("Australia/Lord_Howe") && (gap == 1_800_000L || gap == 5_400_000L);
          assertTrue(gap == 3_600_000L || halfHourShift,
              zone + ": hourly runs " + gap + " ms apart at " + Instant.ofEpochMilli(hourly.get(i)));
        }
      }
    }
  }

  @Test
  void readsCronParserSyntax() {
    String jan1 = "2026-01-01T00:00:00Z";
    assertRuns("0 0 0 1,15 * 1", "UTC", jan1,
        "2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", "2026-01-15T00:00:00Z", "2026-01-19T00:00:00Z");
    assertRuns("0 0 0 * * 7", "UTC", jan1, "2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z");
    assertRuns("0 0 0 L * *", "UTC", "2026-01-15T00:00:00Z",
        "2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z");
    assertRuns("0 0 0 * * 1#2", "UTC", jan1, "2026-01-12T00:00:00Z", "2026-02-09T00:00:00Z");
    assertRuns("0 0 12 ? * MON", "UTC", jan1, "2026-01-05T12:00:00Z");
    assertRuns("@daily", "UTC", jan1, "2026-01-02T00:00:00Z");
    assertRuns("@weekends", "UTC", jan1, "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", "2026-01-10T00:00:00Z");
    assertRuns("*/3 * * * * *", "UTC", jan1, "2026-01-01T00:00:03Z", "2026-01-01T00:00:06Z");
    assertRuns("0 0 0 * jan,jul *", "UTC", "2026-01-31T00:00:00Z", "2026-07-01T00:00:00Z");
  }

  @Test
  void nextRunIsStrictlyAfterTheGivenTime() {
    assertRuns("0 0 0 * * *", "UTC", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z");
    assertRuns("0 0 0 * * *", "UTC", "2026-01-01T00:00:00.500Z", "2026-01-02T00:00:00Z");
    assertRuns("0 0 0 * * *", "UTC", "2025-12-31T23:59:59.999Z", "2026-01-01T00:00:00Z");
    assertRuns("* * * * * *", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z");
    assertRuns("* * * * * *", "UTC", "2025-12-31T23:59:59.999Z", "2026-01-01T00:00:00Z");
  }

  @Test
  void impossibleDateNeverRuns() {
    assertFalse(CronSchedule.parse("0 0 31 2 *").nextAfter(0, ZoneId.of("UTC")).isPresent());
  }

  @Test
  void badPatternsAreRefusedNamingThePattern() {
    for (String bad : new String[] {"61 * * * *", "0 0 * * 8", "foo", "0 0 0 * * * *", "* * * *", "H * * * *",
        "0 0 1W * *", "", "   "}) {
      InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> CronSchedule.parse(bad), bad);
      assertEquals("pattern", e.field());
    }
    assertThrows(InvalidOptionException.class, () -> CronSchedule.parse(null));
  }

  @Test
  void knowsWhichPatternsFireEveryHour() {
    assertTrue(CronSchedule.parse("0 0 * * * *").firesEveryHour());
    assertTrue(CronSchedule.parse("*/5 * * * *").firesEveryHour());
    assertTrue(CronSchedule.parse("0 0 0-23 * * *").firesEveryHour());
    assertTrue(CronSchedule.parse("0 0 0-11,12-23 * * *").firesEveryHour());
    assertTrue(CronSchedule.parse("0 0 */1 * * *").firesEveryHour());
    assertFalse(CronSchedule.parse("0 0 */2 * * *").firesEveryHour());
    assertFalse(CronSchedule.parse("0 30 2 * * *").firesEveryHour());
    assertFalse(CronSchedule.parse("0 0 1-23 * * *").firesEveryHour());
  }

  private static void assertRuns(String pattern, String zone, String from, String... expected) {
    List<Long> actual = runs(pattern, zone, from, expected.length);
    List<String> actualText = new ArrayList<>();
    for (long millis : actual) {
      actualText.add(Instant.ofEpochMilli(millis).toString());
    }
    List<String> expectedText = new ArrayList<>();
    for (String e : expected) {
      expectedText.add(Instant.parse(e).toString());
    }
    assertEquals(expectedText, actualText, pattern + " in " + zone + " after " + from);
  }

  private static List<Long> runs(String pattern, String zone, String from, int count) {
    CronSchedule cron = CronSchedule.parse(pattern);
    long after = Instant.parse(from).toEpochMilli();
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      OptionalLong next = cron.nextAfter(after, ZoneId.of(zone));
      if (next.isEmpty()) {
        break;
      }
      out.add(next.getAsLong());
      after = next.getAsLong();
    }
    return out;
  }
}
