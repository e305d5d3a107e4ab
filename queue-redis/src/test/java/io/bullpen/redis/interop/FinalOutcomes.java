package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.redis.internal.codec.Json;
import java.util.List;
import java.util.Map;

/** Checks on what BullMQ's getters (reader.mjs) report once a worker ran the standard jobs to the end. */
final class FinalOutcomes {
  private FinalOutcomes() {}

  /** Every job's state, attempts, result, failure and timestamps, and the queue's counts, are as expected. */
  static void assertReadByBullmq(List<InteropJob> jobs, Map<String, String> ids, NodeFacts read) {
    for (InteropJob job : jobs) {
      JsonNode fact = read.job(ids.get(job.name()));
      String what = job.name() + ": " + fact;
      if (job.removedWhenDone()) {
        assertEquals(false, fact.path("exists").asBoolean(), what);
        assertEquals("unknown", fact.path("state").asText(), what);
        continue;
      }
      assertEquals(job.expectedFinalState(), fact.path("state").asText(), what);
      assertEquals(job.expectedAttempts(), fact.path("attemptsMade").asInt(), what);
      assertEquals(job.expectedAttempts(), fact.path("attemptsStarted").asInt(), what);
      assertEquals(job.completes() ? job.expectedResult() : Json.MAPPER.nullNode(), fact.path("returnvalue"), what);
      assertEquals(job.expectedFailedReason().orElse(null),
          fact.path("failedReason").isNull() ? null : fact.path("failedReason").asText(), what);
      assertEquals(job.expectedFailures(), fact.path("stacktrace").size(), what);
      assertEquals(job.nodeViewOfOpts(), fact.path("opts"), what);
      assertEquals(job.data(), fact.path("data"), what);
      long timestamp = fact.path("timestamp").asLong();
      long processedOn = fact.path("processedOn").asLong();
      long finishedOn = fact.path("finishedOn").asLong();
      assertTrue(timestamp <= processedOn && processedOn <= finishedOn, what);
    }
    assertEquals(Json.tree("{\"stage\":\"half\"}", "progress"), read.job(ids.get("retried")).path("progress"));
    JsonNode counts = read.single("counts").path("counts");
    assertEquals(InteropJob.expectedCount(jobs, "completed"), counts.path("completed").asLong(), counts::toString);
    assertEquals(InteropJob.expectedCount(jobs, "failed"), counts.path("failed").asLong(), counts::toString);
    for (String state : List.of("active", "delayed", "prioritized", "waiting", "waiting-children")) {
      assertEquals(0, counts.path(state).asLong(), state + " in " + counts);
    }
  }
}
