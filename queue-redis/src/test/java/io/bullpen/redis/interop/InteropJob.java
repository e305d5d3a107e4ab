package io.bullpen.redis.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.Backoff;
import io.bullpen.JobOptions;
import io.bullpen.KeepJobs;
import io.bullpen.redis.internal.codec.Json;
import java.util.List;
import java.util.Optional;

/**
 * One job of the standard set both sides add and process, with what a worker should make of it.
 *
 * <p>The data scripts what a processor does (the Node worker and {@link ScriptedProcessor} read it alike):
 * {@code progress} values to report, {@code failAttempts} first attempts that throw, {@code unrecoverable}.
 *
 * @param name the job name, unique within {@link #standardSet()} so tests can find jobs by name
 * @param dataJson the job data as JSON text
 * @param nodeOptsJson the options for BullMQ's {@code queue.add}, as JSON text
 * @param javaOptions the same options for Bullpen
 * @param expectedFinalState "completed" or "failed" after a worker ran it to the end
 * @param expectedAttempts attempts made by the end
 * @param expectedFailedReason the failure message left on the job by the end, if any
 * @param expectedEvents the names of the job's events in the stream, in order, from add to finish, as observed
 *     with bullmq 6.7.0 adding and processing this job
 */
record InteropJob(String name, String dataJson, String nodeOptsJson, JobOptions javaOptions,
    String expectedFinalState, int expectedAttempts, Optional<String> expectedFailedReason,
    List<String> expectedEvents) implements AddSpec {

  /** The message of the error the processors throw on a scripted failing attempt. */
  static String boom(int attempt) {
    return "boom on attempt " + attempt;
  }

  static final String UNRECOVERABLE_MESSAGE = "no retry please";

  /**
   * Thirteen jobs covering plain, priority, LIFO, custom id, delayed, retried (fixed, exponential and immediate
   * retries), unrecoverable, keep-policy options and removal on completion. Add them in this order.
   */
  static List<InteropJob> standardSet() {
    JobOptions none = JobOptions.defaults();
    return List.of(
        done("plain-1", "{\"n\":1}", "{}", none),
        done("prio-5", "{\"n\":2}", "{\"priority\":5}", JobOptions.builder().priority(5).build()),
        done("plain-2", "{\"n\":3,\"text\":\"h\\u00e9llo \\\"q\\\" / ok\",\"list\":[1,2.5,{\"a\":null}],\"t\":true}",
            "{}", none),
        done("lifo", "{}", "{\"lifo\":true}", JobOptions.builder().lifo(true).build()),
        done("prio-1", "{\"n\":4}", "{\"priority\":1}", JobOptions.builder().priority(1).build()),
        done("custom", "{\"n\":5}", "{\"jobId\":\"order-42\"}", JobOptions.builder().jobId("order-42").build()),
        done("delayed", "{\"n\":6}", "{\"delay\":400}", JobOptions.builder().delay(400).build(),
            List.of("added", "delayed", "waiting", "active", "completed")),
        new InteropJob("retried", "{\"failAttempts\":2,\"progress\":[25,{\"stage\":\"half\"}]}",
            "{\"attempts\":3,\"backoff\":{\"type\":\"fixed\",\"delay\":150}}",
            JobOptions.builder().attempts(3).backoff(Backoff.fixed(150)).build(),
            "completed", 3, Optional.of(boom(2)),
            List.of("added", "waiting",
                "active", "progress", "progress", "delayed", "waiting",
                "active", "progress", "progress", "delayed", "waiting",
                "active", "progress", "progress", "completed")),
        new InteropJob("exp-retried", "{\"failAttempts\":1}",
            "{\"attempts\":2,\"backoff\":{\"type\":\"exponential\",\"delay\":100}}",
            JobOptions.builder().attempts(2).backoff(Backoff.exponential(100)).build(),
            "completed", 2, Optional.of(boom(1)),
            List.of("added", "waiting", "active", "delayed", "waiting", "active", "completed")),
        // No backoff: the retry goes straight back to wait. attempts reached: retries-exhausted follows failed.
        new InteropJob("failing", "{\"failAttempts\":9}", "{\"attempts\":2}",
            JobOptions.builder().attempts(2).build(),
            "failed", 2, Optional.of(boom(2)),
            List.of("added", "waiting", "active", "waiting", "active", "failed", "retries-exhausted")),
        // Fails after 1 of 3 attempts, so BullMQ emits no retries-exhausted.
        new InteropJob("unrecoverable", "{\"unrecoverable\":true}", "{\"attempts\":3}",
            JobOptions.builder().attempts(3).build(),
            "failed", 1, Optional.of(UNRECOVERABLE_MESSAGE),
            List.of("added", "waiting", "active", "failed")),
        done("kept", "{\"n\":7}", "{\"removeOnComplete\":10,\"removeOnFail\":{\"age\":3600,\"count\":5},\"keepLogs\":20}",
            JobOptions.builder().removeOnComplete(KeepJobs.newest(10)).removeOnFail(KeepJobs.maxAge(3600, 5))
                .keepLogs(20).build()),
        // Deleted as it completes: no hash, no completed entry, but still a completed event.
        done("removed-on-complete", "{\"n\":8}", "{\"removeOnComplete\":true}",
            JobOptions.builder().removeOnComplete(true).build()));
  }

  /**
   * The order in which a single worker (concurrency 1) started the first attempt of the jobs that were ready
   * at once: the LIFO job first, then FIFO, then prioritized jobs by priority. The delayed job is left out (it
   * joins whenever it becomes due), and so are retries.
   */
  static final List<String> FIRST_ATTEMPT_ORDER = List.of("lifo", "plain-1", "plain-2", "custom", "retried",
      "exp-retried", "failing", "unrecoverable", "kept", "removed-on-complete", "prio-1", "prio-5");

  /** How many of {@code jobs} a queue still holds in {@code state} once a worker ran them all. */
  static long expectedCount(List<InteropJob> jobs, String state) {
    return jobs.stream().filter(j -> j.expectedFinalState().equals(state) && !j.removedWhenDone()).count();
  }

  /** How many of {@code jobs} a queue holds in its completed and failed sets once a worker ran them all. */
  static long expectedFinishedCount(List<InteropJob> jobs) {
    return expectedCount(jobs, "completed") + expectedCount(jobs, "failed");
  }

  /** Whether the job is deleted as soon as it completes ({@code removeOnComplete: true}). */
  boolean removedWhenDone() {
    return completes() && javaOptions.removeOnComplete().map(KeepJobs::keepsNone).orElse(false);
  }

  /** The events of a job that is ready at once and completes on its first attempt. */
  private static final List<String> ONE_GOOD_RUN = List.of("added", "waiting", "active", "completed");

  private static InteropJob done(String name, String dataJson, String nodeOptsJson, JobOptions javaOptions) {
    return done(name, dataJson, nodeOptsJson, javaOptions, ONE_GOOD_RUN);
  }

  private static InteropJob done(String name, String dataJson, String nodeOptsJson, JobOptions javaOptions,
      List<String> events) {
    return new InteropJob(name, dataJson, nodeOptsJson, javaOptions, "completed", 1, Optional.empty(), events);
  }

  /** The job of {@link #standardSet()} with this name. */
  static InteropJob named(String name) {
    return standardSet().stream().filter(j -> j.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no interop job named " + name));
  }

  /** The job data as a JSON tree. */
  JsonNode data() {
    return Json.tree(dataJson, "data");
  }

  /** The opts BullMQ's getters hand back for this job: the given ones, plus {@code attempts} (default 0). */
  ObjectNode nodeViewOfOpts() {
    ObjectNode opts = (ObjectNode) Json.tree(nodeOptsJson, "opts");
    if (!opts.has("attempts")) {
      opts.put("attempts", 0);
    }
    return opts;
  }

  /** The options Bullpen should decode from the stored opts: the given ones, with {@code attempts} made explicit. */
  JobOptions javaViewOfOpts() {
    return javaOptions.hasAttempts() ? javaOptions : javaOptions.toBuilder().attempts(0).build();
  }

  /** The processors' return value for a completed job: {@code {"name":...,"attempt":n}}. */
  ObjectNode expectedResult() {
    ObjectNode result = Json.MAPPER.createObjectNode();
    result.put("name", name);
    result.put("attempt", expectedAttempts);
    return result;
  }

  boolean completes() {
    return expectedFinalState.equals("completed");
  }

  /** Failures recorded in the job's stacktrace by the end. */
  int expectedFailures() {
    return completes() ? expectedAttempts - 1 : expectedAttempts;
  }
}
