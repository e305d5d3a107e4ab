package io.bullpen.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RepeatTest {
  @Test
  void cronRepeatKeepsWhatWasGiven() {
    Repeat repeat = Repeat.cron(" 0 30 2 * * * ").tz("Europe/Berlin").limit(10)
        .endDate(Instant.parse("2030-01-01T00:00:00Z")).build();
    assertEquals("0 30 2 * * *", repeat.pattern().orElseThrow());
    assertEquals("Europe/Berlin", repeat.tz().orElseThrow());
    assertEquals(OptionalInt.of(10), repeat.limit());
    assertEquals(OptionalLong.empty(), repeat.every());
    assertEquals(repeat, Repeat.cron("0 30 2 * * *").tz("Europe/Berlin").limit(10)
        .endDate(Instant.parse("2030-01-01T00:00:00Z")).build());
  }

  @Test
  void everyRepeatKeepsItsIntervalAndOffset() {
    Repeat repeat = Repeat.every(Duration.ofSeconds(5)).offset(Duration.ofMillis(1234)).build();
    assertEquals(OptionalLong.of(5000), repeat.every());
    assertEquals(OptionalLong.of(1234), repeat.offset());
    assertTrue(repeat.pattern().isEmpty());
  }

  @Test
  void badValuesAreRefusedNamingTheField() {
    assertRejected("pattern", () -> Repeat.cron("0 0 * * 9"));
    assertRejected("pattern", () -> Repeat.cron(null));
    assertRejected("every", () -> Repeat.every(Duration.ZERO));
    assertRejected("every", () -> Repeat.every(null));
    assertRejected("tz", () -> Repeat.cron("* * * * *").tz("Mars/Olympus"));
    assertRejected("tz", () -> Repeat.cron("* * * * *").tz(""));
    assertRejected("limit", () -> Repeat.cron("* * * * *").limit(0));
    assertRejected("offset", () -> Repeat.every(Duration.ofSeconds(1)).offset(Duration.ofMillis(-1)));
  }

  @Test
  void conflictingOptionsAreRefusedAtBuild() {
    assertRejected("tz", () -> Repeat.every(Duration.ofSeconds(1)).tz("UTC").build());
    assertRejected("offset", () -> Repeat.cron("* * * * *").offset(Duration.ofMillis(5)).build());
    assertRejected("immediately", () -> Repeat.every(Duration.ofSeconds(1)).immediately(true).build());
    assertRejected("immediately", () -> Repeat.cron("* * * * *").immediately(true)
        .startDate(Instant.parse("2030-01-01T00:00:00Z")).build());
    assertRejected("endDate", () -> Repeat.cron("* * * * *").startDate(Instant.parse("2030-01-01T00:00:00Z"))
        .endDate(Instant.parse("2029-01-01T00:00:00Z")).build());
  }

  private static void assertRejected(String field, Executable call) {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, call);
    assertEquals(field, e.field(), e.getMessage());
  }
}
