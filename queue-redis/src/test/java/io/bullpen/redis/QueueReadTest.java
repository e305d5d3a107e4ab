package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobLogs;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class QueueReadTest {
  static final long T0 = QueueAddTest.T0;

  private RedisProbe probe;
  private String name;
  private String k;
  private TestClock clock;
  private Queue queue;

  @BeforeEach
  void open(RunningRedis redis) {
    probe = new RedisProbe(redis);
    name = RedisProbe.uniqueQueueName();
    k = "bull:" + name + ":";
    clock = new TestClock(T0);
    queue = new Queue(name, probe.options().clock(clock).build());
  }

  @AfterEach
  void close() {
    queue.close();
    probe.close();
  }

  private static List<String> ids(List<Job> jobs) {
    return jobs.stream().map(Job::id).toList();
  }

  @Test
  void getJobsPagesWaitingJobsNewestFirstOrOldestFirst() {
    for (int i = 0; i < 10; i++) {
      queue.add("j" + i, Map.of("i", i));
    }
    Set<JobState> waiting = EnumSet.of(JobState.WAITING);
    assertEquals(List.of("10", "9", "8"), ids(queue.getJobs(waiting, 0, 2, false)));
    assertEquals(List.of("7", "6", "5"), ids(queue.getJobs(waiting, 3, 5, false)));
    assertEquals(List.of("1", "2", "3"), ids(queue.getJobs(waiting, 0, 2, true)));
    assertEquals(List.of("4", "5", "6"), ids(queue.getJobs(waiting, 3, 5, true)));
    assertEquals(10, queue.getJobs(waiting, 0, -1, true).size());
    assertEquals(List.of("9", "10"), ids(queue.getJobs(waiting, 8, -1, true)));
    assertEquals(List.of(), ids(queue.getJobs(waiting, 20, 30, true)));
    Job first = queue.getJobs(waiting, 0, 0, true).get(0);
    assertEquals("j0", first.name());
    assertEquals("{\"i\":0}", first.dataJson());
  }

  @Test
  void getJobsPagesEachStateOnItsOwnAndOrdersZsetsByScore() {
    queue.add("a", null);                                                   // 1
    queue.add("b", null);                                                   // 2
    queue.add("c", null);                                                   // 3
    queue.add("p", null, JobOptions.builder().priority(2).build());         // 4
    queue.add("p", null, JobOptions.builder().priority(1).build());         // 5
    probe.finish("bull", name, "1", true, T0 + 30);
    probe.finish("bull", name, "2", true, T0 + 10);
    probe.finish("bull", name, "3", true, T0 + 20);

    assertEquals(List.of("2", "3", "1"), ids(queue.getJobs(EnumSet.of(JobState.COMPLETED), 0, -1, true)));
    assertEquals(List.of("1", "3"), ids(queue.getJobs(EnumSet.of(JobState.COMPLETED), 0, 1, false)));
    assertEquals(List.of("5", "4"), ids(queue.getJobs(EnumSet.of(JobState.PRIORITIZED), 0, -1, true)));
    // Several states: each paged with the same range, then concatenated.
    assertEquals(List.of("5", "2"),
        ids(queue.getJobs(EnumSet.of(JobState.PRIORITIZED, JobState.COMPLETED), 0, 0, true)));
    assertEquals(5, queue.getJobs(Set.of(), 0, -1, true).size());
  }

  @Test
  void getJobCountsCountsEveryStateAndWaitingIncludesLegacyPausedList() {
    queue.add("w", null);
    queue.add("w", null);
    queue.add("w", null);
    queue.add("p", null, JobOptions.builder().priority(1).build());
    queue.add("p", null, JobOptions.builder().priority(1).build());
    queue.add("d", null, JobOptions.builder().delay(5000).build());
    queue.add("c", null);
    queue.add("f", null);
    probe.activate("bull", name, "1", "tok", T0);
    probe.finish("bull", name, "7", true, T0);
    probe.finish("bull", name, "8", false, T0);
    probe.redis.zadd(k + "waiting-children", T0, "parent-1");
    probe.redis.lpush(k + "paused", "legacy");

    Map<JobState, Long> counts = queue.getJobCounts();
    assertEquals(Map.of(JobState.WAITING, 3L, JobState.PRIORITIZED, 2L, JobState.DELAYED, 1L,
        JobState.ACTIVE, 1L, JobState.WAITING_CHILDREN, 1L, JobState.COMPLETED, 1L, JobState.FAILED, 1L), counts);
    assertEquals(Map.of(JobState.DELAYED, 1L, JobState.FAILED, 1L),
        queue.getJobCounts(JobState.FAILED, JobState.DELAYED));
  }

  @Test
  void getJobStateFindsEveryState() {
    queue.add("w", null);                                               // 1
    queue.add("p", null, JobOptions.builder().priority(3).build());     // 2
    queue.add("d", null, JobOptions.builder().delay(1000).build());     // 3
    queue.add("a", null);                                               // 4
    queue.add("c", null);                                               // 5
    queue.add("f", null);                                               // 6
    probe.activate("bull", name, "4", "tok", T0);
    probe.finish("bull", name, "5", true, T0);
    probe.finish("bull", name, "6", false, T0);
    probe.redis.zadd(k + "waiting-children", T0, "parent");
    probe.redis.lpush(k + "paused", "legacy");

    assertEquals(JobState.WAITING, queue.getJobState("1"));
    assertEquals(JobState.PRIORITIZED, queue.getJobState("2"));
    assertEquals(JobState.DELAYED, queue.getJobState("3"));
    assertEquals(JobState.ACTIVE, queue.getJobState("4"));
    assertEquals(JobState.COMPLETED, queue.getJobState("5"));
    assertEquals(JobState.FAILED, queue.getJobState("6"));
    assertEquals(JobState.WAITING_CHILDREN, queue.getJobState("parent"));
    assertEquals(JobState.WAITING, queue.getJobState("legacy"));
    assertEquals(JobState.UNKNOWN, queue.getJobState("nope"));
    assertEquals(JobState.DELAYED, queue.getJob("3").orElseThrow().state());
  }

  @Test
  void getJobReturnsTheStoredHashOrEmpty() {
    Job added = queue.add("x", Map.of("k", "v"), JobOptions.builder().attempts(2).build());
    Job read = queue.getJob(added.id()).orElseThrow();
    assertEquals(added.rawFields(), read.rawFields());
    assertEquals(2, read.options().attempts());
    assertFalse(queue.getJob("missing").isPresent());
  }

  @Test
  void jobLogsAreAppendedTrimmedToKeepLogsAndPaged() {
    Job job = queue.add("x", null, JobOptions.builder().keepLogs(3).build());
    for (int i = 1; i <= 5; i++) {
      assertEquals(Math.min(i, 3), job.log("line " + i));
    }
    assertEquals(List.of("line 3", "line 4", "line 5"), probe.redis.lrange(k + job.id() + ":logs", 0, -1));
    JobLogs all = queue.getJobLogs(job.id());
    assertEquals(3, all.count());
    assertEquals(List.of("line 3", "line 4", "line 5"), all.lines());
    assertEquals(List.of("line 5", "line 4"), queue.getJobLogs(job.id(), 0, 1, false).lines());
    assertEquals(List.of("line 4", "line 5"), queue.getJobLogs(job.id(), 1, 2, true).lines());

    Job unbounded = queue.add("y", null);
    for (int i = 0; i < 10; i++) {
      unbounded.log("l" + i);
    }
    assertEquals(10, queue.getJobLogs(unbounded.id()).count());
    assertEquals(0, queue.getJobLogs("missing").count());
  }

  @Test
  void isPausedFollowsPauseAndResume() {
    assertFalse(queue.isPaused());
    queue.pause();
    assertTrue(queue.isPaused());
    queue.resume();
    assertFalse(queue.isPaused());
  }
}
