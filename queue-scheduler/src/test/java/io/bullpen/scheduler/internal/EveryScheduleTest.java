package io.bullpen.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.scheduler.internal.EverySchedule.Slot;
import org.junit.jupiter.api.Test;

/** BullMQ 6's slot rules, with values observed in Redis while bullmq@6.7.0 ran (spec §6.7). */
class EveryScheduleTest {
  @Test
  void firstRunIsNowAndItsPositionBecomesTheOffset() {
    // Observed: every 2000 upserted at ...218966 ran at once and stored offset 966.
    assertEquals(new Slot(1795385218966L, 966), EverySchedule.first(1795385218966L, 2000, 0, null));
  }

  @Test
  void userOffsetAlignsTheFirstRunToTheNextSlot() {
    // Observed: every 5000 with offset 1234 upserted at ...218980 ran at ...221234.
    assertEquals(new Slot(1795385221234L, 1234), EverySchedule.first(1795385218980L, 5000, 1234, null));
    // A slot exactly now is not in the future, so the next one is taken.
    assertEquals(new Slot(11_234, 1234), EverySchedule.first(6_234, 5000, 1234, null));
  }

  @Test
  void startDateInTheFutureIsTheFirstRun() {
    assertEquals(new Slot(50_700, 700), EverySchedule.first(10_000, 1000, 0, 50_700L));
    assertEquals(new Slot(10_000, 0), EverySchedule.first(10_000, 1000, 0, 5_000L));
  }

  @Test
  void laterRunsFollowOneIntervalApart() {
    assertEquals(new Slot(1795385220966L, 966), EverySchedule.after(1795385218966L, 2000, 1795385219068L, 966));
  }

  @Test
  void missedRunsAreSkippedKeepingTheOffset() {
    // Previous run at 10_300, every 1000, offset 300, now 15_650: runs 11_300..15_300 are gone, next is 16_300.
    assertEquals(new Slot(16_300, 300), EverySchedule.after(10_300, 1000, 15_650, 300));
    // Now exactly on a slot that is already past: the slot after it.
    assertEquals(new Slot(16_300, 300), EverySchedule.after(10_300, 1000, 15_300, 300));
    // Aligned slot still ahead in the current interval.
    assertEquals(new Slot(15_300, 300), EverySchedule.after(10_300, 1000, 15_100, 300));
  }

  @Test
  void nextRunExactlyNowIsNotAMissedRun() {
    assertEquals(new Slot(11_300, 300), EverySchedule.after(10_300, 1000, 11_300, 300));
  }
}
