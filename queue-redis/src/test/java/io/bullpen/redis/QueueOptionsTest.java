package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bullpen.BackoffStrategy;
import io.bullpen.InvalidOptionException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueOptionsTest {
  private static final RedisConfig REDIS = RedisConfig.of("redis://127.0.0.1:6379");

  @Test
  void backoffStrategiesAreKeptByTypeAndBadRegistrationsAreRejectedNamingTheField() {
    BackoffStrategy linear = (attemptsMade, type, error, job) -> attemptsMade * 1000L;
    QueueOptions options = QueueOptions.builder().redis(REDIS).backoffStrategy("linear", linear).build();
    assertEquals(Map.of("linear", linear), options.backoffStrategies());
    assertThrows(UnsupportedOperationException.class, () -> options.backoffStrategies().clear());
    assertEquals(Map.of(), QueueOptions.of(REDIS).backoffStrategies());

    QueueOptions.Builder builder = QueueOptions.builder();
    assertEquals("backoffStrategy.type",
        assertThrows(InvalidOptionException.class, () -> builder.backoffStrategy("fixed", linear)).field());
    assertEquals("backoffStrategy.type",
        assertThrows(InvalidOptionException.class, () -> builder.backoffStrategy(" ", linear)).field());
    assertEquals("backoffStrategy",
        assertThrows(InvalidOptionException.class, () -> builder.backoffStrategy("linear", null)).field());
  }
}
