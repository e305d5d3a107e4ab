package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.KeepJobs;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad option or argument is rejected before Redis, naming the field and the value. */
@RedisTest
class QueueValidationTest {
  private RedisProbe probe;
  private String k;
  private Queue queue;

  @BeforeEach
  void open(RunningRedis redis) {
    probe = new RedisProbe(redis);
    String name = RedisProbe.uniqueQueueName();
    k = "bull:" + name + ":";
    queue = new Queue(name, probe.options().build());
  }

  @AfterEach
  void close() {
    queue.close();
    probe.close();
  }

  private static void rejects(String field, String valueText, Executable call) {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, call);
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(field) && e.getMessage().contains(valueText),
        "message should name " + field + " and " + valueText + ": " + e.getMessage());
  }

  /** A value Jackson cannot serialise. */
  static final class SelfReferencing {
    public SelfReferencing getSelf() {
      return this;
    }
  }

  @Test
  void queueOptionsRejectEveryBadValue() {
    rejects("redis", "null", () -> QueueOptions.builder().redis(null));
    rejects("redis", "null", () -> QueueOptions.builder().build());
    rejects("prefix", "\"\"", () -> QueueOptions.builder().prefix(""));
    rejects("prefix", "\"a:b\"", () -> QueueOptions.builder().prefix("a:b"));
    rejects("prefix", "null", () -> QueueOptions.builder().prefix(null));
    rejects("maxLenEvents", "0", () -> QueueOptions.builder().maxLenEvents(0));
    rejects("maxLenEvents", "-5", () -> QueueOptions.builder().maxLenEvents(-5));
    rejects("clock", "null", () -> QueueOptions.builder().clock(null));
    rejects("defaultJobOptions", "null", () -> QueueOptions.builder().defaultJobOptions(null));
    rejects("defaultJobOptions.jobId", "\"fixed\"",
        () -> QueueOptions.builder().defaultJobOptions(JobOptions.builder().jobId("fixed").build()));
    rejects("uri", "\"\"", () -> RedisConfig.of(""));
    rejects("commandTimeout", "PT0S", () -> RedisConfig.builder().commandTimeout(Duration.ZERO));
  }

  @Test
  void queueConstructorRejectsBadNamesAndMissingOptions() {
    QueueOptions options = probe.options().build();
    rejects("queueName", "null", () -> new Queue(null, options));
    rejects("queueName", "\"\"", () -> new Queue("", options));
    rejects("queueName", "\"a:b\"", () -> new Queue("a:b", options));
    rejects("options", "null", () -> new Queue("q", null));
  }

  @Test
  void jobOptionsRejectEveryBadValue() {
    rejects("jobId", "\"123\"", () -> JobOptions.builder().jobId("123"));
    rejects("jobId", "\"a:b\"", () -> JobOptions.builder().jobId("a:b"));
    rejects("jobId", "\"0:x\"", () -> JobOptions.builder().jobId("0:x"));
    rejects("jobId", "\"\"", () -> JobOptions.builder().jobId(""));
    rejects("priority", "-1", () -> JobOptions.builder().priority(-1));
    rejects("priority", "2097152", () -> JobOptions.builder().priority(2_097_152));
    rejects("delay", "-1", () -> JobOptions.builder().delay(-1));
    rejects("attempts", "-2", () -> JobOptions.builder().attempts(-2));
    rejects("timestamp", "-3", () -> JobOptions.builder().timestamp(-3));
    rejects("stackTraceLimit", "-1", () -> JobOptions.builder().stackTraceLimit(-1));
    rejects("sizeLimit", "0", () -> JobOptions.builder().sizeLimit(0));
    rejects("keepLogs", "-1", () -> JobOptions.builder().keepLogs(-1));
    rejects("keepJobs.count", "-2", () -> KeepJobs.newest(-2));
    rejects("backoff.delay", "-5", () -> io.bullpen.Backoff.fixed(-5));
    rejects("backoff.jitter", "1.5", () -> io.bullpen.Backoff.fixed(5).withJitter(1.5));
  }

  @Test
  void addRejectsBadNamesDataAndSizesWithoutWritingAnything() {
    rejects("name", "null", () -> queue.add(null, Map.of()));
    rejects("data", SelfReferencing.class.getName(), () -> queue.add("x", new SelfReferencing()));
    rejects("data", "xxxxxxxx", () -> queue.add("x", Map.of("t", "xxxxxxxxxx"),
        JobOptions.builder().sizeLimit(10).build()));
    rejects("data", "not json", () -> queue.add("x", RawJson.of("not json")));
    rejects("jobs", "null", () -> queue.addBulk(null));
    rejects("jobs[1]", "null", () -> queue.addBulk(Arrays.asList(JobSpec.of("a", null), null)));
    rejects("jobs[0].data", SelfReferencing.class.getName(),
        () -> queue.addBulk(List.of(JobSpec.of("a", new SelfReferencing()))));
    assertEquals(0, probe.redis.exists(k + "id", k + "wait", k + "events"));
  }

  @Test
  void sizeLimitFromTheQueueDefaultsApplies() {
    try (Queue limited = new Queue(RedisProbe.uniqueQueueName(),
        probe.options().defaultJobOptions(JobOptions.builder().sizeLimit(8).build()).build())) {
      limited.add("small", Map.of("a", 1)); // {"a":1} is 7 bytes
      rejects("data", "{\"a\":100}", () -> limited.add("big", Map.of("a", 100))); // 9 bytes
    }
  }

  @Test
  void readsRejectBadRangesStatesAndIds() {
    Set<JobState> waiting = EnumSet.of(JobState.WAITING);
    rejects("start", "-1", () -> queue.getJobs(waiting, -1, 5, true));
    rejects("end", "-2", () -> queue.getJobs(waiting, 0, -2, true));
    rejects("end", "3", () -> queue.getJobs(waiting, 5, 3, true));
    rejects("states", "UNKNOWN", () -> queue.getJobs(EnumSet.of(JobState.UNKNOWN), 0, -1, true));
    rejects("states", "UNKNOWN", () -> queue.getJobCounts(JobState.UNKNOWN));
    rejects("states", "null", () -> queue.getJobCounts(JobState.WAITING, null));
    rejects("jobId", "null", () -> queue.getJob(null));
    rejects("jobId", "\"\"", () -> queue.getJobState(""));
    rejects("jobId", "null", () -> queue.getJobLogs(null));
    rejects("start", "-4", () -> queue.getJobLogs("1", -4, 0, true));
  }

  @Test
  void controlOperationsRejectBadArguments() {
    rejects("grace", "null", () -> queue.clean(null, 0, JobState.COMPLETED));
    rejects("grace", "PT-1S", () -> queue.clean(Duration.ofSeconds(-1), 0, JobState.COMPLETED));
    rejects("limit", "-1", () -> queue.clean(Duration.ZERO, -1, JobState.COMPLETED));
    rejects("state", "null", () -> queue.clean(Duration.ZERO, 0, null));
    rejects("state", "WAITING_CHILDREN", () -> queue.clean(Duration.ZERO, 0, JobState.WAITING_CHILDREN));
    rejects("state", "UNKNOWN", () -> queue.clean(Duration.ZERO, 0, JobState.UNKNOWN));
    rejects("state", "DELAYED", () -> queue.retryJobs(JobState.DELAYED, 10, 0));
    rejects("state", "null", () -> queue.retryJobs(null, 10, 0));
    rejects("count", "0", () -> queue.retryJobs(JobState.FAILED, 0, 0));
    rejects("timestamp", "-1", () -> queue.retryJobs(JobState.FAILED, 10, -1));
    rejects("count", "-3", () -> queue.promoteJobs(-3));
    rejects("priority", "-1", () -> queue.changePriority("1", -1, false));
    rejects("priority", "2097152", () -> queue.changePriority("1", 2_097_152, false));
    rejects("jobId", "null", () -> queue.changePriority(null, 1, false));
    rejects("delay", "-10", () -> queue.changeDelay("1", -10));
    rejects("jobId", "\"\"", () -> queue.changeDelay("", 10));
    rejects("jobId", "null", () -> queue.promote(null));
    rejects("jobId", "null", () -> queue.remove(null));
    rejects("data", SelfReferencing.class.getName(), () -> queue.updateData("1", new SelfReferencing()));
    rejects("listener", "null", () -> queue.addListener(null));
  }

  @Test
  void jobOperationsRejectBadArguments() {
    var job = queue.add("x", null);
    rejects("progress", "null", () -> job.updateProgress(null));
    rejects("data", SelfReferencing.class.getName(), () -> job.updateData(new SelfReferencing()));
    var backend = new io.bullpen.redis.internal.job.RedisJobBackend(
        new io.bullpen.redis.internal.keys.QueueKeys("bull", "q"), dummyRunner(), 1000,
        java.time.Clock.systemUTC());
    rejects("duration", "PT0S", () -> backend.extendLock("1", "tok", Duration.ZERO));
    rejects("token", "\"\"", () -> backend.extendLock("1", "", Duration.ofSeconds(1)));
    rejects("line", "null", () -> backend.addLog("1", null, null));
    rejects("keepLogs", "-1", () -> backend.addLog("1", "x", -1));
  }

  private io.bullpen.redis.internal.script.ScriptRunner dummyRunner() {
    return new io.bullpen.redis.internal.script.ScriptRunner(probe.direct.async());
  }
}
