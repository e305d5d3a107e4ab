package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.event.QueueListener;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A producer updating a job it did not fetch: {@code Queue.updateJobProgress} and {@code Queue.addJobLog}. */
@RedisTest
class QueueJobUpdatesTest {
  private RedisProbe probe;
  private String k;
  private Queue queue;
  private final List<String> heard = new ArrayList<>();

  @BeforeEach
  void open(RunningRedis redis) {
    probe = new RedisProbe(redis);
    String name = RedisProbe.uniqueQueueName();
    k = "bull:" + name + ":";
    queue = new Queue(name, probe.options().build());
    queue.addListener(new QueueListener() {
      @Override
      public void onProgress(String jobId, Object progress) {
        heard.add("progress " + jobId + " " + progress);
      }
    });
  }

  @AfterEach
  void close() {
    queue.close();
    probe.close();
  }

  @Test
  void updateJobProgressStoresTheProgressEmitsAProgressEventAndTellsTheListeners() {
    Job job = queue.add("x", null);

    queue.updateJobProgress(job.id(), 42);
    queue.updateJobProgressAsync(job.id(), Map.of("pct", 50)).join();

    assertEquals("{\"pct\":50}", probe.redis.hget(k + job.id(), "progress"));
    assertEquals("{\"pct\":50}", queue.getJob(job.id()).orElseThrow().progressJson());
    List<Map<String, String>> progress = probe.events(k + "events").stream()
        .filter(e -> e.name().equals("progress")).map(RedisProbe.Event::fields).toList();
    assertEquals(List.of(Map.of("event", "progress", "jobId", job.id(), "data", "42"),
        Map.of("event", "progress", "jobId", job.id(), "data", "{\"pct\":50}")), progress);
    assertEquals(List.of("progress " + job.id() + " 42", "progress " + job.id() + " {pct=50}"), heard);
  }

  @Test
  void updateJobProgressOfAMissingJobFailsWithJobNotFoundInBothForms() {
    assertThrows(JobNotFoundException.class, () -> queue.updateJobProgress("nope", 1));
    CompletionException async = assertThrows(CompletionException.class,
        () -> queue.updateJobProgressAsync("nope", 1).join());
    assertInstanceOf(JobNotFoundException.class, async.getCause());
    assertEquals(0, probe.redis.exists(k + "nope"), "nothing is created for a missing job");
    assertEquals(List.of(), heard);
  }

  @Test
  void updateJobProgressRejectsANullProgressOrJobIdAtOnce() {
    Job job = queue.add("x", null);
    assertRejected("progress", () -> queue.updateJobProgress(job.id(), null));
    assertRejected("progress", () -> queue.updateJobProgressAsync(job.id(), null));
    assertRejected("jobId", () -> queue.updateJobProgress(null, 5));
    assertRejected("jobId", () -> queue.updateJobProgressAsync("", 5));
    assertEquals(null, probe.redis.hget(k + job.id(), "progress"));
  }

  @Test
  void addJobLogAppendsAndKeepsEveryLineWhenKeepLogsIsZero() {
    Job job = queue.add("x", null, JobOptions.builder().keepLogs(1).build());

    assertEquals(1, queue.addJobLog(job.id(), "one", 0));
    assertEquals(2, queue.addJobLog(job.id(), "two", 0));
    assertEquals(3L, queue.addJobLogAsync(job.id(), "three", 0).join());

    assertEquals(List.of("one", "two", "three"), probe.redis.lrange(k + job.id() + ":logs", 0, -1),
        "0 keeps every line, and the job's own keepLogs is not applied");
    assertEquals(List.of("one", "two", "three"), queue.getJobLogs(job.id()).lines());
  }

  @Test
  void addJobLogKeepsTheNewestLinesWhenKeepLogsIsSet() {
    Job job = queue.add("x", null);
    for (String line : List.of("one", "two", "three")) {
      queue.addJobLog(job.id(), line, 0);
    }

    assertEquals(2, queue.addJobLog(job.id(), "four", 2));
    assertEquals(List.of("three", "four"), probe.redis.lrange(k + job.id() + ":logs", 0, -1));
    assertEquals(3, queue.addJobLog(job.id(), "five", 10), "a larger keepLogs keeps what is there");
  }

  @Test
  void addJobLogOfAMissingJobFailsWithJobNotFoundAndWritesNothing() {
    assertThrows(JobNotFoundException.class, () -> queue.addJobLog("nope", "line", 0));
    CompletionException async = assertThrows(CompletionException.class,
        () -> queue.addJobLogAsync("nope", "line", 0).join());
    assertInstanceOf(JobNotFoundException.class, async.getCause());
    assertEquals(0, probe.redis.exists(k + "nope:logs"));
  }

  @Test
  void addJobLogRejectsANegativeKeepLogsANullLineOrJobIdAtOnce() {
    Job job = queue.add("x", null);
    InvalidOptionException negative = assertRejected("keepLogs", () -> queue.addJobLog(job.id(), "line", -1));
    assertEquals(-1, negative.value());
    assertTrue(negative.getMessage().contains("keepLogs = -1"), negative.getMessage());
    assertRejected("keepLogs", () -> queue.addJobLogAsync(job.id(), "line", -3));
    assertRejected("line", () -> queue.addJobLog(job.id(), null, 0));
    assertRejected("jobId", () -> queue.addJobLogAsync(null, "line", 0));
    assertEquals(0, probe.redis.exists(k + job.id() + ":logs"));
  }

  private static InvalidOptionException assertRejected(String field, Runnable call) {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, call::run);
    assertEquals(field, e.field(), e.getMessage());
    return e;
  }
}
