package io.bullpen.redis.internal.settle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.BackoffStrategy;
import io.bullpen.TimeLimits;
import io.bullpen.redis.internal.job.RedisJob;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Retry delays are capped so that every retry falls due by the latest time the delayed set orders exactly. */
class FailurePlannerTest {
  private static final long NOW = 1_750_000_000_000L;

  private static RedisJob job(String backoffJson) {
    return new RedisJob("1", "q", Map.of("opts", "{\"attempts\":200,\"backoff\":" + backoffJson + "}"), null, null);
  }

  @Test
  void anExponentialBackoffAfterManyAttemptsIsCappedAtTheLatestDueTime() {
    FailurePlanner planner = new FailurePlanner(Map.of(), () -> NOW);
    RedisJob job = job("{\"type\":\"exponential\",\"delay\":1000}");
    assertEquals(4000, planner.retryDelay(job, 3, new RuntimeException()));
    assertEquals(TimeLimits.MAX_EPOCH_MILLIS - NOW, planner.retryDelay(job, 150, new RuntimeException()));
  }

  @Test
  void aCustomStrategysHugeDelayIsCappedToo() {
    BackoffStrategy huge = (attempts, type, error, job) -> Long.MAX_VALUE;
    FailurePlanner planner = new FailurePlanner(Map.of("huge", huge), () -> NOW);
    assertEquals(TimeLimits.MAX_EPOCH_MILLIS - NOW,
        planner.retryDelay(job("{\"type\":\"huge\",\"delay\":1}"), 1, new RuntimeException()));
  }
}
