package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.KeepJobs;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {
  private static final RedisConfig REDIS = RedisConfig.of("redis://127.0.0.1:1");

  private static WorkerOptions.Builder builder() {
    return WorkerOptions.builder().redis(REDIS);
  }

  @Test
  void defaultsAreBullMqs() {
    WorkerOptions options = builder().build();
    assertEquals("bull", options.prefix());
    assertEquals(1, options.concurrency());
    assertEquals(Duration.ofSeconds(30), options.locks().duration());
    assertEquals(Duration.ofSeconds(15), options.locks().renewTime());
    assertEquals(Duration.ofSeconds(30), options.stalled().interval());
    assertEquals(1, options.stalled().maxCount());
    assertEquals(Duration.ofSeconds(5), options.drainDelay());
    assertTrue(options.autorun());
    assertEquals(KeepJobs.all(), options.removeOnComplete());
    assertEquals(KeepJobs.all(), options.removeOnFail());
    assertTrue(options.limiter().isEmpty());
    assertTrue(options.name().isEmpty());
    assertTrue(options.executor().isEmpty());
    assertTrue(options.maxStartedAttempts().isEmpty());
    assertFalse(options.stalled().skipCheck());
    assertFalse(options.locks().skipRenewal());
    assertEquals(Clock.systemUTC(), options.clock());
    assertEquals(Duration.ofSeconds(30), options.closeTimeout());
  }

  @Test
  void lockRenewTimeFollowsTheLockDurationUnlessGiven() {
    assertEquals(Duration.ofMillis(500), LockOptions.builder().duration(Duration.ofSeconds(1)).build().renewTime());
    LockOptions given = LockOptions.builder().renewTime(Duration.ofSeconds(2)).build();
    assertEquals(Duration.ofSeconds(2), given.renewTime());
    assertEquals(Duration.ofSeconds(2), given.toBuilder().duration(Duration.ofSeconds(10)).build().renewTime());
    assertEquals(Duration.ofMillis(500),
        LockOptions.defaults().toBuilder().duration(Duration.ofSeconds(1)).build().renewTime());
    WorkerOptions options = builder().locks(given).build();
    assertEquals(given, options.toBuilder().build().locks(), "toBuilder keeps the lock options");
  }

  @Test
  void badValuesAreRejectedAtOnceNamingTheField() {
    assertRejected("redis", () -> WorkerOptions.builder().build());
    assertRejected("redis", () -> WorkerOptions.builder().redis(null));
    assertRejected("concurrency", () -> builder().concurrency(0));
    assertRejected("stalled.maxCount", () -> StalledOptions.builder().maxCount(-1));
    assertRejected("locks.duration", () -> LockOptions.builder().duration(Duration.ZERO));
    assertRejected("stalled.interval", () -> StalledOptions.builder().interval(Duration.ofMillis(-5)));
    assertRejected("locks", () -> builder().locks(null));
    assertRejected("stalled", () -> builder().stalled(null));
    assertRejected("drainDelay", () -> builder().drainDelay(null));
    assertRejected("locks.renewTime", () -> LockOptions.builder().duration(Duration.ofSeconds(1))
        .renewTime(Duration.ofSeconds(1)).build());
    assertRejected("prefix", () -> builder().prefix("a:b"));
    assertRejected("name", () -> builder().name("has space"));
    assertRejected("name", () -> builder().name(""));
    assertRejected("backoffStrategy.type", () -> builder().backoffStrategy("fixed", (a, t, e, j) -> 1));
    assertRejected("backoffStrategy", () -> builder().backoffStrategy("mine", null));
    assertRejected("maxStartedAttempts", () -> builder().maxStartedAttempts(-1));
    assertRejected("closeTimeout", () -> builder().closeTimeout(Duration.ofSeconds(-1)));
    assertRejected("executor", () -> builder().executor(null));
    assertRejected("clock", () -> builder().clock(null));
  }

  @Test
  void workerRejectsABadQueueNameBeforeConnecting() {
    WorkerOptions options = builder().autorun(false).build();
    InvalidOptionException e = assertThrows(InvalidOptionException.class,
        () -> new Worker("a:b", (io.bullpen.Job job) -> null, options));
    assertEquals("queueName", e.field());
  }

  @Test
  void customSettingsAreKept() {
    Executor executor = Runnable::run;
    WorkerOptions options = builder().concurrency(8).name("w1").executor(executor)
        .backoffStrategy("linear", (a, t, e, j) -> a * 10L).maxStartedAttempts(4).build();
    assertEquals(8, options.concurrency());
    assertEquals("w1", options.name().get());
    assertSame(executor, options.executor().get());
    assertTrue(options.backoffStrategies().containsKey("linear"));
    assertEquals(4, options.maxStartedAttempts().getAsInt());
    assertEquals(options.backoffStrategies(), options.toBuilder().build().backoffStrategies());
  }

  private static void assertRejected(String field, Executable action) {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, action);
    assertEquals(field, e.field(), e.getMessage());
  }
}
