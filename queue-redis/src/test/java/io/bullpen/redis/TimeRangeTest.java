package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Backoff;
import io.bullpen.BatchOptions;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.JobOutcome;
import io.bullpen.JobSpec;
import io.bullpen.LeaseFailure;
import io.bullpen.Limiter;
import io.bullpen.TimeLimits;
import io.bullpen.scheduler.Repeat;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Times and delays beyond what the delayed set orders exactly (due x 4096 + sequence must stay below 2^53, so due
 * by 2039-09-07T15:47:35.551Z), and durations Java cannot turn into ms, are refused naming the field and value,
 * never with an ArithmeticException; a job due at the very last millisecond keeps its exact score.
 */
@RedisTest
class TimeRangeTest {
  private static final long T0 = 1_750_000_000_000L;
  private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
  private RedisProbe probe;
  private String k;
  private Queue queue;

  @BeforeEach
  void open(RunningRedis redis) {
    probe = new RedisProbe(redis);
    String name = RedisProbe.uniqueQueueName();
    k = "bull:" + name + ":";
    queue = new Queue(name, probe.options().clock(new TestClock(T0)).build());
  }

  @AfterEach
  void close() {
    queue.close();
    probe.close();
  }

  @Test
  void optionsRefuseTimesAndDelaysOutOfRange() {
    long max = TimeLimits.MAX_EPOCH_MILLIS;
    rejects("delay", "9223372036854775807", () -> JobOptions.builder().delay(Long.MAX_VALUE));
    rejects("delay", Long.toString(max + 1), () -> JobOptions.builder().delay(max + 1));
    rejects("delay", HUGE.toString(), () -> JobOptions.builder().delay(HUGE));
    rejects("delay", "PT-0.001S", () -> JobOptions.builder().delay(Duration.ofMillis(-1)));
    rejects("timestamp", Long.toString(max + 1), () -> JobOptions.builder().timestamp(max + 1));
    rejects("backoff.delay", "9223372036854775807", () -> Backoff.fixed(Long.MAX_VALUE));
    rejects("limiter.duration", "9223372036854775807", () -> new Limiter(1, Long.MAX_VALUE));
    rejects("batch.maxWait", HUGE.toString(), () -> BatchOptions.of(1, HUGE));
    rejects("delay", HUGE.toString(), () -> JobOutcome.retryLater(HUGE));
    rejects("retryDelay", HUGE.toString(), () -> LeaseFailure.of("1", "no").retryAfter(HUGE));
    rejects("every", HUGE.toString(), () -> Repeat.every(HUGE));
    rejects("offset", HUGE.toString(), () -> Repeat.every(Duration.ofSeconds(1)).offset(HUGE));
    rejects("startDate", Instant.MAX.toString(), () -> Repeat.every(Duration.ofSeconds(1)).startDate(Instant.MAX));
    rejects("endDate", Instant.MIN.toString(), () -> Repeat.every(Duration.ofSeconds(1)).endDate(Instant.MIN));
    rejects("commandTimeout", HUGE.toString(), () -> RedisConfig.builder().commandTimeout(HUGE));
    rejects("drainDelay", HUGE.toString(), () -> WorkerOptions.builder().drainDelay(HUGE));
  }

  @Test
  void queueCallsRefuseTimesAndDelaysOutOfRangeWithoutWritingAnything() {
    long max = TimeLimits.MAX_EPOCH_MILLIS;
    rejects("at", Instant.MAX.toString(), () -> queue.schedulers().scheduleAt("x", null, Instant.MAX, null));
    rejects("at", "2039-09-07T15:47:35.552Z",
        () -> queue.schedulers().scheduleAt("x", null, TimeLimits.MAX_INSTANT.plusMillis(1), null));
    rejects("delay", Long.toString(max - T0 + 1),
        () -> queue.add("x", null, JobOptions.builder().delay(max - T0 + 1).build()));
    rejects("delay", "2",
        () -> queue.add("x", null, JobOptions.builder().timestamp(max - 1).delay(2).build()));
    rejects("jobs[1].options.delay", Long.toString(max),
        () -> queue.addBulk(List.of(JobSpec.of("ok", null), JobSpec.of("x", null, JobOptions.builder().delay(max)
            .build()))));
    rejects("delay", Long.toString(max - T0 + 1), () -> queue.changeDelay("1", max - T0 + 1));
    rejects("grace", HUGE.toString(), () -> queue.clean(HUGE, 0, io.bullpen.JobState.COMPLETED));
    rejects("leaseDuration", HUGE.toString(), () -> queue.leases().claim("owner", HUGE, 1));
    rejects("duration", HUGE.toString(), () -> queue.leases().extend("owner", List.of("1"), HUGE));
    rejects("rateLimit", "9223372036854775807", () -> queue.limits().rateLimit(Long.MAX_VALUE));
    rejects("every", "31536000000 ms", () -> queue.schedulers().upsert("s",
        Repeat.every(Duration.ofDays(365)).offset(Duration.ofMillis(max)).build(), null));
    assertEquals(0, probe.redis.exists(k + "id", k + "delayed", k + "wait", k + "repeat", k + "limiter"));
  }

  @Test
  void aJobDueAtTheLatestMillisecondKeepsItsExactScoreAndOrder() {
    long max = TimeLimits.MAX_EPOCH_MILLIS;
    String first = queue.add("a", null, JobOptions.builder().delay(max - T0).build()).id();
    String second = queue.schedulers().scheduleAt("b", Map.of(), TimeLimits.MAX_INSTANT, null).id();
    assertEquals(max * 4096, probe.redis.zscore(k + "delayed", first).longValue());
    assertEquals(max * 4096 + 1, probe.redis.zscore(k + "delayed", second).longValue());
    assertTrue(max * 4096 + 4095 < (1L << 53), "the last bucket of the delayed set is exact");
    assertEquals(List.of(first, second), probe.redis.zrange(k + "delayed", 0, -1));
  }

  private static void rejects(String field, String valueText, Executable call) {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, call, field);
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().contains(valueText), "message should name " + valueText + ": " + e.getMessage());
  }
}
