package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueueEventsOptionsTest {
  private static final RedisConfig REDIS = RedisConfig.of("redis://127.0.0.1:6390");

  @Test
  void defaultsMatchBullmq() {
    QueueEventsOptions options = QueueEventsOptions.builder().redis(REDIS).build();
    assertEquals("bull", options.prefix());
    assertEquals("$", options.lastEventId());
    assertEquals(Duration.ofSeconds(10), options.blockTimeout());
    assertTrue(options.autorun());
  }

  @Test
  void redisIsRequired() {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> QueueEventsOptions.builder().build());
    assertEquals("redis", e.field());
    assertThrows(InvalidOptionException.class, () -> QueueEventsOptions.builder().redis(null));
  }

  @Test
  void lastEventIdMustBeDollarOrAStreamId() {
    QueueEventsOptions.Builder b = QueueEventsOptions.builder().redis(REDIS);
    assertEquals("0", b.lastEventId("0").build().lastEventId());
    assertEquals("1717171717171-3", b.lastEventId("1717171717171-3").build().lastEventId());
    for (String bad : new String[] {"", "latest", "12-", "-1", "1-2-3", " 1"}) {
      InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> b.lastEventId(bad), bad);
      assertEquals("lastEventId", e.field());
      assertEquals(bad, e.value());
    }
    assertThrows(InvalidOptionException.class, () -> b.lastEventId(null));
  }

  @Test
  void blockTimeoutMustBeBetweenOneMillisecondAndOneHour() {
    QueueEventsOptions.Builder b = QueueEventsOptions.builder().redis(REDIS);
    assertEquals(Duration.ofMillis(1), b.blockTimeout(Duration.ofMillis(1)).build().blockTimeout());
    for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofNanos(999_999), Duration.ofSeconds(-1),
        Duration.ofHours(2), Duration.ofSeconds(Long.MAX_VALUE)}) {
      InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> b.blockTimeout(bad), String.valueOf(bad));
      assertEquals("blockTimeout", e.field());
    }
  }

  @Test
  void prefixIsValidated() {
    assertEquals("p", QueueEventsOptions.builder().redis(REDIS).prefix("p").build().prefix());
    assertEquals("prefix", assertThrows(InvalidOptionException.class,
        () -> QueueEventsOptions.builder().prefix("a:b")).field());
    assertThrows(InvalidOptionException.class, () -> QueueEventsOptions.builder().prefix(""));
  }
}
