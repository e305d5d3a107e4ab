package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.JobStateException;
import io.bullpen.event.QueueListener;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.ScoredValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class QueueControlTest {
  static final long T0 = QueueAddTest.T0;
  static final long TWO_POW_32 = QueueAddTest.TWO_POW_32;

  private RedisProbe probe;
  private String name;
  private String k;
  private TestClock clock;
  private Queue queue;
  private final List<String> heard = new ArrayList<>();

  @BeforeEach
  void open(RunningRedis redis) {
    probe = new RedisProbe(redis);
    name = RedisProbe.uniqueQueueName();
    k = "bull:" + name + ":";
    clock = new TestClock(T0);
    queue = new Queue(name, probe.options().clock(clock).build());
    queue.addListener(new QueueListener() {
      @Override
      public void onPaused() {
        heard.add("paused");
      }

      @Override
      public void onResumed() {
        heard.add("resumed");
      }

      @Override
      public void onRemoved(String jobId) {
        heard.add("removed " + jobId);
      }

      @Override
      public void onCleaned(List<String> jobIds, JobState state) {
        heard.add("cleaned " + state + " " + jobIds);
      }
    });
  }

  @AfterEach
  void close() {
    queue.close();
    probe.close();
  }

  // ---- pause / resume -------------------------------------------------------------------------------------

  @Test
  void pauseOnlySetsTheFlagAndDropsTheMarkerAndJobsAddedWhilePausedStayInWait() {
    queue.add("before", null);
    queue.pause();

    assertEquals("1", probe.redis.hget(k + "meta", "paused"));
    assertEquals(0, probe.redis.exists(k + "marker"));
    assertEquals(List.of("1"), probe.redis.lrange(k + "wait", 0, -1));

    queue.add("during", null);
    queue.add("during-p", null, JobOptions.builder().priority(2).build());
    assertEquals(List.of("2", "1"), probe.redis.lrange(k + "wait", 0, -1));
    assertEquals(0, probe.redis.exists(k + "paused"), "v6 writes no paused list");
    assertEquals(0, probe.redis.exists(k + "marker"), "no ready marker while paused");

    queue.resume();
    assertNull(probe.redis.hget(k + "meta", "paused"));
    assertEquals(List.of(ScoredValue.just(0, "0")), probe.redis.zrangeWithScores(k + "marker", 0, -1));
    assertEquals(List.of("2", "1"), probe.redis.lrange(k + "wait", 0, -1));
    List<RedisProbe.Event> events = probe.events(k + "events");
    List<String> names = events.stream().map(RedisProbe.Event::name).toList();
    assertEquals(List.of("added", "waiting", "paused", "added", "waiting", "added", "waiting", "resumed"), names);
    assertEquals(Map.of("event", "paused"), events.get(2).fields());
    assertEquals(List.of("paused", "resumed"), heard);
  }

  @Test
  void resumeWithOnlyDelayedJobsWritesTheDelayMarker() {
    queue.add("d", null, JobOptions.builder().delay(5000).build());
    queue.pause();
    queue.resume();
    assertEquals(List.of(ScoredValue.just(T0 + 5000, "1")), probe.redis.zrangeWithScores(k + "marker", 0, -1));
  }

  @Test
  void resumeMovesALegacyPausedListBehindTheWaitingJobsWithoutLosingAny() {
    queue.add("new", null); // id 1, in wait
    queue.pause();
    // A BullMQ 5 writer left ids in `paused`: "old-a" added first (right end), then "old-b".
    probe.redis.lpush(k + "paused", "old-a", "old-b");

    queue.resume();

    assertEquals(0, probe.redis.exists(k + "paused"));
    // Workers take from the right: the job already waiting, then the legacy ones in their own order.
    assertEquals(List.of("old-b", "old-a", "1"), probe.redis.lrange(k + "wait", 0, -1));
  }

  @Test
  void resumeRenamesALegacyPausedListWhenWaitIsEmpty() {
    queue.pause();
    probe.redis.lpush(k + "paused", "x", "y");
    queue.resume();
    assertEquals(List.of("y", "x"), probe.redis.lrange(k + "wait", 0, -1));
  }

  // ---- drain ------------------------------------------------------------------------------------------------

  @Test
  void drainDeletesWaitingAndPrioritizedJobsAndDelayedOnlyWhenAskedLeavingThePriorityCounter() {
    Job w = queue.add("w", null);
    w.log("a line");
    Job p = queue.add("p", null, JobOptions.builder().priority(1).build());
    Job d = queue.add("d", null, JobOptions.builder().delay(1000).build());
    Job c = queue.add("c", null);
    probe.finish("bull", name, c.id(), true, T0);
    // A job scheduler's pending iteration survives a drain.
    probe.redis.zadd(k + "repeat", 1_800_000_000_000d, "sched");
    probe.redis.hset(k + "repeat:sched:1800000000000", Map.of("name", "tick", "data", "{}", "timestamp", "1"));
    probe.redis.lpush(k + "wait", "repeat:sched:1800000000000");

    queue.drain(false);

    assertEquals(List.of("repeat:sched:1800000000000"), probe.redis.lrange(k + "wait", 0, -1));
    assertEquals(0, probe.redis.exists(k + w.id(), k + w.id() + ":logs", k + p.id(), k + "prioritized"));
    assertEquals("1", probe.redis.get(k + "pc"), "BullMQ's drain leaves the priority counter");
    assertEquals(1, probe.redis.exists(k + d.id()));
    assertEquals(1, probe.redis.zcard(k + "delayed"));
    assertEquals(1, probe.redis.zcard(k + "completed"));

    queue.drain(true);
    assertEquals(0, probe.redis.exists(k + d.id(), k + "delayed"));
    assertEquals(1, probe.redis.exists(k + "repeat:sched:1800000000000"));
    assertEquals(1, probe.redis.exists(k + c.id()));
  }

  // ---- clean ------------------------------------------------------------------------------------------------

  @Test
  void cleanDeletesCompletedJobsOlderThanGraceUpToTheLimit() {
    for (int i = 1; i <= 5; i++) {
      Job job = queue.add("c", null);
      probe.finish("bull", name, job.id(), true, T0 + i * 1000L);
    }
    clock.set(T0 + 10_000);

    // Older than 7 s: finished at T0+1000, +2000, +3000; the limit takes the oldest two.
    List<String> cleaned = queue.clean(java.time.Duration.ofSeconds(7), 2, JobState.COMPLETED);

    assertEquals(List.of("1", "2"), cleaned);
    assertEquals(List.of("3", "4", "5"), probe.redis.zrange(k + "completed", 0, -1));
    assertEquals(0, probe.redis.exists(k + "1", k + "2"));
    RedisProbe.Event last = probe.events(k + "events").get(probe.events(k + "events").size() - 1);
    assertEquals(Map.of("event", "cleaned", "count", "2"), last.fields());
    assertEquals(List.of("cleaned COMPLETED [1, 2]"), heard);

    assertEquals(List.of("3"), queue.clean(java.time.Duration.ofSeconds(7), 0, JobState.COMPLETED));
  }

  @Test
  void cleanDeletesFailedWaitingAndDelayedJobsByAge() {
    Job failedOld = queue.add("f", null);
    probe.finish("bull", name, failedOld.id(), false, T0);
    Job waitOld = queue.add("w", null);
    Job delayedOld = queue.add("d", null, JobOptions.builder().delay(60_000).build());
    Job prioOld = queue.add("p", null, JobOptions.builder().priority(4).build());
    clock.set(T0 + 5_000);
    Job failedNew = queue.add("f", null);
    probe.finish("bull", name, failedNew.id(), false, T0 + 5_000);
    Job waitNew = queue.add("w", null);
    Job delayedNew = queue.add("d", null, JobOptions.builder().delay(60_000).build());
    clock.set(T0 + 10_000);
    java.time.Duration grace = java.time.Duration.ofSeconds(7);

    assertEquals(List.of(failedOld.id()), queue.clean(grace, 0, JobState.FAILED));
    assertEquals(List.of(waitOld.id()), queue.clean(grace, 0, JobState.WAITING));
    assertEquals(List.of(delayedOld.id()), queue.clean(grace, 0, JobState.DELAYED));
    assertEquals(List.of(prioOld.id()), queue.clean(grace, 0, JobState.PRIORITIZED));

    assertEquals(List.of(failedNew.id()), probe.redis.zrange(k + "failed", 0, -1));
    assertEquals(List.of(waitNew.id()), probe.redis.lrange(k + "wait", 0, -1));
    assertEquals(List.of(delayedNew.id()), probe.redis.zrange(k + "delayed", 0, -1));
    assertEquals(0, probe.redis.zcard(k + "prioritized"));
    assertEquals(0, probe.redis.exists(k + failedOld.id(), k + waitOld.id(), k + delayedOld.id(), k + prioOld.id()));
  }

  @Test
  void cleanOfActiveJobsSkipsJobsAWorkerHolds() {
    Job held = queue.add("a", null);
    Job orphan = queue.add("b", null);
    probe.activate("bull", name, held.id(), "token", T0);
    probe.activate("bull", name, orphan.id(), null, T0);
    clock.set(T0 + 60_000);
    assertEquals(List.of(orphan.id()), queue.clean(java.time.Duration.ZERO, 0, JobState.ACTIVE));
    assertEquals(List.of(held.id()), probe.redis.lrange(k + "active", 0, -1));
  }

  @Test
  void cleanOfAManyJobWaitListKeepsTheOrderOfTheRest() {
    List<JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      specs.add(JobSpec.of("x", null, JobOptions.builder().timestamp(i % 2 == 0 ? T0 - 100_000 : T0).build()));
    }
    queue.addBulk(specs);
    List<String> cleaned = queue.clean(java.time.Duration.ofSeconds(10), 0, JobState.WAITING);
    assertEquals(1250, cleaned.size());
    List<String> left = probe.redis.lrange(k + "wait", 0, -1);
    assertEquals(1250, left.size());
    for (int i = 0; i < left.size(); i++) {
      assertEquals(Integer.toString(2500 - 2 * i), left.get(i)); // the even ids, newest at the left
    }
  }

  // ---- obliterate -------------------------------------------------------------------------------------------

  @Test
  void obliterateIsRefusedWhileAJobIsActiveAndLeavesTheQueuePaused() {
    Job active = queue.add("a", null);
    queue.add("b", null);
    probe.activate("bull", name, active.id(), "token", T0);

    JobStateException e = assertThrows(JobStateException.class, () -> queue.obliterate(false));

    assertEquals(active.id(), e.jobId());
    assertTrue(e.getMessage().contains("force"), e.getMessage());
    assertTrue(queue.isPaused());
    assertEquals(1, probe.redis.exists(k + "2"));
  }

  @Test
  void obliterateDeletesEveryKeyOfTheQueueAndNothingOfOtherQueues() {
    // A neighbour whose name would match an unescaped glob, and one sharing a name prefix.
    String starName = "ob*" + RedisProbe.uniqueQueueName();
    String neighbour = "obX" + starName.substring(3);
    try (Queue star = new Queue(starName, probe.options().build());
         Queue other = new Queue(neighbour, probe.options().build());
         Queue longer = new Queue(starName + "-more", probe.options().build())) {
      other.add("keep", null);
      longer.add("keep", null);
      Job a = star.add("a", null);
      a.log("log line");
      star.add("p", null, JobOptions.builder().priority(2).build());
      star.add("d", null, JobOptions.builder().delay(1000).build());
      Job active = star.add("x", null);
      probe.activate("bull", starName, active.id(), "tok", T0);
      Job done = star.add("c", null);
      probe.finish("bull", starName, done.id(), true, T0);
      String sk = "bull:" + starName + ":";
      probe.redis.zadd(sk + "waiting-children", T0, "parent");
      probe.redis.hset(sk + "parent", Map.of("name", "parent"));
      probe.redis.set(sk + "limiter", "3");
      probe.redis.set(sk + "de:some-dedup", a.id());
      List<String> otherKeysBefore = probe.redis.keys("bull:obX*");
      List<String> longerKeysBefore = probe.redis.keys("bull:" + starName.replace("*", "\\*") + "-more:*");

      star.obliterate(true);

      assertEquals(List.of(), probe.redis.keys(sk.replace("*", "\\*") + "*"));
      assertEquals(otherKeysBefore.stream().sorted().toList(),
          probe.redis.keys("bull:obX*").stream().sorted().toList());
      assertEquals(longerKeysBefore.size(),
          probe.redis.keys("bull:" + starName.replace("*", "\\*") + "-more:*").size());
      assertTrue(longerKeysBefore.size() > 3);
    }
  }

  @Test
  void obliterateOfAQueueWithManyJobsWorksInBatches() {
    List<JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      specs.add(JobSpec.of("x", null));
    }
    queue.addBulk(specs);
    queue.obliterate(false);
    assertEquals(List.of(), probe.redis.keys(k + "*"));
  }

  // ---- single-job operations --------------------------------------------------------------------------------

  @Test
  void removeDeletesTheJobAndEmitsRemovedWithItsPreviousState() {
    Job w = queue.add("w", null);
    w.log("line");
    Job p = queue.add("p", null, JobOptions.builder().priority(1).build());
    Job c = queue.add("c", null);
    probe.finish("bull", name, c.id(), true, T0);

    assertTrue(queue.remove(w.id()));
    assertTrue(p.remove());
    assertTrue(queue.remove(c.id()));

    assertEquals(0, probe.redis.exists(k + w.id(), k + w.id() + ":logs", k + p.id(), k + c.id()));
    assertEquals(0, probe.redis.llen(k + "wait"));
    List<RedisProbe.Event> removed = probe.events(k + "events").stream()
        .filter(e -> e.name().equals("removed")).toList();
    assertEquals(List.of(Map.of("event", "removed", "jobId", w.id(), "prev", "wait"),
        Map.of("event", "removed", "jobId", p.id(), "prev", "prioritized"),
        Map.of("event", "removed", "jobId", c.id(), "prev", "completed")),
        removed.stream().map(RedisProbe.Event::fields).toList());
    assertEquals(List.of("removed " + w.id(), "removed " + p.id(), "removed " + c.id()), heard);
  }

  @Test
  void removeReturnsFalseForALockedJobOrAMissingOne() {
    Job held = queue.add("a", null);
    probe.activate("bull", name, held.id(), "token", T0);
    assertFalse(queue.remove(held.id()));
    assertEquals(1, probe.redis.exists(k + held.id()));
    assertFalse(queue.remove("missing"));
    assertEquals(List.of(), heard);
  }

  @Test
  void removingTheLastPendingChildReleasesItsParent() {
    // A flow written the way BullMQ writes it: parent in waiting-children, child key in its dependencies.
    probe.redis.hset(k + "parent", Map.of("name", "parent", "data", "{}", "opts", "{}", "timestamp",
        Long.toString(T0), "delay", "0", "priority", "0"));
    probe.redis.zadd(k + "waiting-children", T0, "parent");
    Job child = queue.add("child", null);
    probe.redis.hset(k + child.id(), "parentKey", k + "parent");
    probe.redis.sadd(k + "parent:dependencies", k + child.id());

    assertTrue(queue.remove(child.id()));

    assertEquals(0, probe.redis.zcard(k + "waiting-children"));
    assertEquals(List.of("parent"), probe.redis.lrange(k + "wait", 0, -1));
    RedisProbe.Event waiting = probe.events(k + "events").stream()
        .filter(e -> e.name().equals("waiting") && "parent".equals(e.get("jobId"))).findFirst().orElseThrow();
    assertEquals("waiting-children", waiting.get("prev"));
  }

  @Test
  void removingAParentRemovesItsChildren() {
    probe.redis.hset(k + "parent", Map.of("name", "parent", "data", "{}"));
    probe.redis.zadd(k + "waiting-children", T0, "parent");
    Job child = queue.add("child", null);
    probe.redis.hset(k + child.id(), "parentKey", k + "parent");
    probe.redis.sadd(k + "parent:dependencies", k + child.id());

    assertTrue(queue.remove("parent"));

    assertEquals(0, probe.redis.exists(k + "parent", k + child.id(), k + "parent:dependencies"));
    assertEquals(0, probe.redis.llen(k + "wait"));
  }

  @Test
  void retryJobsMovesFailedJobsBackToWaitInBatches() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Job job = queue.add("f", null, JobOptions.builder().priority(3).build());
      probe.finish("bull", name, job.id(), false, T0 + i);
      ids.add(job.id());
    }
    Job late = queue.add("late", null);
    probe.finish("bull", name, late.id(), false, T0 + 1000);

    assertEquals(5, queue.retryJobs(JobState.FAILED, 2, T0 + 10));

    assertEquals(List.of(late.id()), probe.redis.zrange(k + "failed", 0, -1));
    List<String> wait = probe.redis.lrange(k + "wait", 0, -1);
    assertEquals(List.of("5", "4", "3", "2", "1"), wait);
    Map<String, String> fields = probe.redis.hgetall(k + "1");
    assertFalse(fields.containsKey("finishedOn"));
    assertFalse(fields.containsKey("failedReason"));
    assertFalse(fields.containsKey("processedOn"));
    assertEquals(List.of(ScoredValue.just(0, "0")), probe.redis.zrangeWithScores(k + "marker", 0, -1));
    RedisProbe.Event retried = probe.events(k + "events").stream()
        .filter(e -> e.name().equals("waiting") && "1".equals(e.get("jobId")) && e.get("prev") != null)
        .findFirst().orElseThrow();
    assertEquals("failed", retried.get("prev"));
  }

  @Test
  void retryJobsOfCompletedClearsTheReturnValue() {
    Job job = queue.add("c", null);
    probe.finish("bull", name, job.id(), true, T0);
    assertEquals(1, queue.retryJobs(JobState.COMPLETED, 100, T0));
    assertNull(probe.redis.hget(k + job.id(), "returnvalue"));
    assertEquals(JobState.WAITING, queue.getJobState(job.id()));
  }

  @Test
  void promoteMovesADelayedJobBehindTheWaitingOnesAndResetsItsDelay() {
    queue.add("w", null);
    Job delayed = queue.add("d", null, JobOptions.builder().delay(60_000).build());
    Job delayedPrio = queue.add("dp", null, JobOptions.builder().delay(60_000).priority(7).build());

    queue.promote(delayed.id());
    delayedPrio.promote();

    assertEquals(List.of(delayed.id(), "1"), probe.redis.lrange(k + "wait", 0, -1));
    assertEquals("0", probe.redis.hget(k + delayed.id(), "delay"));
    assertEquals(7 * TWO_POW_32 + 1, probe.redis.zscore(k + "prioritized", delayedPrio.id()).longValue());
    assertEquals(0, probe.redis.zcard(k + "delayed"));
    RedisProbe.Event event = probe.events(k + "events").get(probe.events(k + "events").size() - 2);
    assertEquals(Map.of("event", "waiting", "jobId", delayed.id(), "prev", "delayed"), event.fields());

    assertThrows(JobStateException.class, () -> queue.promote(delayed.id()));
    JobNotFoundException missing = assertThrows(JobNotFoundException.class, () -> queue.promote("nope"));
    assertEquals("nope", missing.jobId());
    assertEquals(name, missing.queueName());
  }

  @Test
  void promoteJobsMovesEveryDelayedJob() {
    for (int i = 0; i < 7; i++) {
      queue.add("d", null, JobOptions.builder().delay(1000L * (i + 1)).build());
    }
    assertEquals(7, queue.promoteJobs(3));
    assertEquals(0, probe.redis.zcard(k + "delayed"));
    assertEquals(7, probe.redis.llen(k + "wait"));
  }

  @Test
  void changePriorityReplacesAWaitingJob() {
    Job a = queue.add("a", null);
    Job b = queue.add("b", null);

    queue.changePriority(a.id(), 3, false);
    assertEquals(List.of(b.id()), probe.redis.lrange(k + "wait", 0, -1));
    assertEquals(3 * TWO_POW_32 + 1, probe.redis.zscore(k + "prioritized", a.id()).longValue());
    assertEquals("3", probe.redis.hget(k + a.id(), "priority"));
    assertEquals("{\"attempts\":0}", probe.redis.hget(k + a.id(), "opts"), "opts are not rewritten");

    queue.changePriority(b.id(), 3, true);
    assertEquals(3 * TWO_POW_32, probe.redis.zscore(k + "prioritized", b.id()).longValue());

    queue.changePriority(a.id(), 0, true);
    assertEquals(List.of(a.id()), probe.redis.lrange(k + "wait", 0, -1));
    assertEquals("0", probe.redis.hget(k + a.id(), "priority"));

    Job done = queue.add("c", null);
    probe.finish("bull", name, done.id(), true, T0);
    queue.changePriority(done.id(), 9, false);
    assertEquals("9", probe.redis.hget(k + done.id(), "priority"));
    assertEquals(JobState.COMPLETED, queue.getJobState(done.id()));
    assertThrows(JobNotFoundException.class, () -> queue.changePriority("nope", 1, false));
    assertEquals(0, probe.events(k + "events").stream().filter(e -> e.name().equals("priority")).count());
  }

  @Test
  void changeDelayReschedulesFromNow() {
    Job job = queue.add("d", null, JobOptions.builder().delay(60_000).build());
    clock.set(T0 + 1000);
    queue.changeDelay(job.id(), 5000);

    long due = T0 + 1000 + 5000;
    assertEquals(due * 4096, probe.redis.zscore(k + "delayed", job.id()).longValue());
    assertEquals("5000", probe.redis.hget(k + job.id(), "delay"));
    assertEquals(List.of(ScoredValue.just(due, "1")), probe.redis.zrangeWithScores(k + "marker", 0, -1));
    RedisProbe.Event last = probe.events(k + "events").get(probe.events(k + "events").size() - 1);
    assertEquals(Map.of("event", "delayed", "jobId", job.id(), "delay", Long.toString(due)), last.fields());

    Job waiting = queue.add("w", null);
    assertThrows(JobStateException.class, () -> queue.changeDelay(waiting.id(), 10));
  }

  @Test
  void updateDataReplacesTheDataOnly() {
    Job job = queue.add("x", Map.of("v", 1));
    queue.updateData(job.id(), Map.of("v", 2));
    assertEquals("{\"v\":2}", probe.redis.hget(k + job.id(), "data"));
    job.updateData(RawJson.of("[3]"));
    assertEquals("[3]", probe.redis.hget(k + job.id(), "data"));
    assertThrows(JobNotFoundException.class, () -> queue.updateData("nope", Map.of()));
  }

  @Test
  void jobRetryMovesAFailedJobBackToWait() {
    Job job = queue.add("x", null, JobOptions.builder().lifo(true).build());
    queue.add("y", null);
    probe.finish("bull", name, job.id(), false, T0);

    queue.getJob(job.id()).orElseThrow().retry();

    // lifo: back at the front (right end).
    assertEquals(List.of("2", job.id()), probe.redis.lrange(k + "wait", 0, -1));
    assertEquals("1", probe.redis.hget(k + job.id(), "atm"), "attempts are kept");
    assertNull(probe.redis.hget(k + job.id(), "failedReason"));
    assertThrows(JobStateException.class, job::retry);
  }

  @Test
  void progressIsStoredAndEmitted() {
    Job job = queue.add("x", null);
    job.updateProgress(42);
    job.updateProgress(Map.of("pct", 50));
    assertEquals("{\"pct\":50}", probe.redis.hget(k + job.id(), "progress"));
    List<RedisProbe.Event> progress = probe.events(k + "events").stream()
        .filter(e -> e.name().equals("progress")).toList();
    assertEquals(List.of(Map.of("event", "progress", "jobId", job.id(), "data", "42"),
        Map.of("event", "progress", "jobId", job.id(), "data", "{\"pct\":50}")),
        progress.stream().map(RedisProbe.Event::fields).toList());
  }
}
