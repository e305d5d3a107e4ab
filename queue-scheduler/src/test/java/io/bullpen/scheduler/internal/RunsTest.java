package io.bullpen.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RunsTest {
  private static final CronSchedule EVERY_MINUTE = CronSchedule.parse("0 * * * * *");
  private static final long NOON = Instant.parse("2026-05-01T12:00:00Z").toEpochMilli();

  @Test
  void firstPatternRunIsTheNextMatchOrNowWhenImmediate() {
    assertEquals(OptionalLong.of(NOON + 60_000), Runs.firstPatternRun(EVERY_MINUTE, "UTC", NOON, null, null, false));
    assertEquals(OptionalLong.of(NOON + 5), Runs.firstPatternRun(EVERY_MINUTE, "UTC", NOON + 5, null, null, true));
  }

  @Test
  void firstPatternRunMayBeExactlyAtTheStartDate() {
    long start = NOON + 3_600_000;
    assertEquals(OptionalLong.of(start), Runs.firstPatternRun(EVERY_MINUTE, "UTC", NOON, start, null, false));
  }

  @Test
  void noFirstRunWhenTheEndDateComesFirst() {
    assertEquals(OptionalLong.empty(), Runs.firstPatternRun(EVERY_MINUTE, "UTC", NOON, null, NOON + 30_000, false));
  }

  @Test
  void nextPatternRunSkipsMissedSlotsAndNeverRepeatsTheCurrentOne() {
    // Started 7.5 minutes late: the next run is the first slot after now.
    assertEquals(OptionalLong.of(NOON + 8 * 60_000),
        Runs.nextPatternRun(EVERY_MINUTE, "UTC", NOON + 450_000, NOON, null, null));
    // Started early (promoted by hand): the next run is the slot after its own.
    assertEquals(OptionalLong.of(NOON + 60_000), Runs.nextPatternRun(EVERY_MINUTE, "UTC", NOON - 20_000, NOON, null, null));
  }

  @Test
  void nextPatternRunStopsAtTheEndDate() {
    assertEquals(OptionalLong.empty(), Runs.nextPatternRun(EVERY_MINUTE, "UTC", NOON, NOON, null, NOON + 59_999));
    assertEquals(OptionalLong.of(NOON + 60_000),
        Runs.nextPatternRun(EVERY_MINUTE, "UTC", NOON, NOON, null, NOON + 60_000));
  }

  @Test
  void limitCountsTheRunsCreatedSoFar() {
    assertFalse(Runs.finished(1, 3, null, NOON));
    assertFalse(Runs.finished(2, 3, null, NOON));
    assertTrue(Runs.finished(3, 3, null, NOON));
    assertFalse(Runs.finished(1000, null, null, NOON));
  }

  @Test
  void endDateStopsOnceItIsPast() {
    assertFalse(Runs.finished(1, null, NOON, NOON));
    assertTrue(Runs.finished(1, null, NOON, NOON + 1));
  }
}
