package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.scheduler.QueueScheduler;
import io.bullpen.scheduler.QueueSchedulerOptions;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crashes for real: a worker in another JVM is killed with SIGKILL while it holds jobs, and their locks simply
 * expire. Short locks and check intervals keep each test to a few seconds.
 */
@RedisTest
class StalledJobsAcrossProcessesTest {
  private static final long LOCK_MILLIS = 1_000;
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private ChildJvm doomedWorker(int concurrency) throws InterruptedException {
    ChildJvm child = ChildJvm.start(StallingWorkerMain.class, f.server.uri(), f.queueName, "bull",
        Integer.toString(concurrency), Long.toString(LOCK_MILLIS));
    child.await("ready", 60);
    return child;
  }

  @Test
  void jobsOfAKilledWorkerAreCompletedByTheOtherOneAfterTheirLocksExpire() throws Exception {
    List<String> ids = new CopyOnWriteArrayList<>();
    try (ChildJvm doomed = doomedWorker(2)) {
      for (int i = 0; i < 4; i++) {
        ids.add(f.add("job", Map.of("i", i)).id());
      }
      Set<String> taken = new TreeSet<>(List.of(doomed.await("started", 60), doomed.await("started", 60)));
      assertEquals(2, taken.size());
      assertEquals(2, f.redis.llen(f.key("active")));
      doomed.kill();

      List<String> ranHere = new CopyOnWriteArrayList<>();
      List<String> stalledHere = new CopyOnWriteArrayList<>();
      Worker survivor = f.worker(job -> {
        ranHere.add(job.id());
        return "done by the survivor";
      }, f.options().name("survivor").locks(LockOptions.builder().duration(Duration.ofMillis(LOCK_MILLIS)).build())
          .stalled(StalledOptions.builder().interval(Duration.ofMillis(300)).build()));
      survivor.addListener(new io.bullpen.event.WorkerListener() {
        @Override
        public void onStalled(String jobId) {
          stalledHere.add(jobId);
        }
      });
      WorkerFixture.await(() -> f.redis.zcard(f.key("completed")) == 4, "all four completed");

      assertEquals(Set.copyOf(ids), Set.copyOf(ranHere), "each job ran here exactly once");
      assertEquals(4, ranHere.size());
      assertEquals(taken, new TreeSet<>(stalledHere));
      for (String id : ids) {
        Map<String, String> hash = f.hash(id);
        boolean stalled = taken.contains(id);
        assertEquals(stalled ? "1" : null, hash.get("stc"), id + " stc");
        assertEquals(stalled ? "2" : "1", hash.get("ats"), id + " attempts started");
        assertEquals("1", hash.get("atm"), id + " attempts made: a stall uses no attempt");
        assertEquals("\"done by the survivor\"", hash.get("returnvalue"));
        assertEquals("survivor", hash.get("pb"));
        assertNull(hash.get("defa"));
        assertEquals(stalled, f.eventNamesOf(id).contains("stalled"));
      }
      assertEquals(0, f.redis.llen(f.key("active")) + f.redis.llen(f.key("wait")) + f.redis.zcard(f.key("failed")),
          "nothing left behind");
    }
  }

  @Test
  void jobStallingMoreThanMaxStalledCountEndsFailedWithTheStallReason() throws Exception {
    Job job = f.add("fragile", Map.of());
    try (QueueScheduler scheduler = QueueSchedulers.start(RedisConfig.of(f.server.uri()),
        QueueSchedulerOptions.builder().stalledInterval(Duration.ofMillis(300)).maxStalledCount(1).build(),
        f.queueName)) {
      for (int crash = 1; crash <= 2; crash++) {
        try (ChildJvm doomed = doomedWorker(1)) {
          assertEquals(job.id(), doomed.await("started", 60));
          doomed.kill();
        }
        String expected = Integer.toString(crash);
        WorkerFixture.await(() -> expected.equals(f.redis.hget(f.key(job.id()), "stc"))
            && f.redis.llen(f.key("wait")) == 1, "stall " + crash + " noticed");
      }
      assertEquals("job stalled more than allowable limit", f.redis.hget(f.key(job.id()), "defa"));
    }
    List<String> processed = new CopyOnWriteArrayList<>();
    f.worker(j -> processed.add(j.id()));
    WorkerFixture.await(() -> f.queue.getJobState(job.id()) == JobState.FAILED, "failed");
    Map<String, String> hash = f.hash(job.id());
    assertEquals("job stalled more than allowable limit", hash.get("failedReason"));
    assertNull(hash.get("defa"));
    assertEquals("2", hash.get("stc"));
    assertEquals("3", hash.get("ats"));
    assertTrue(processed.isEmpty(), "the processor never ran it again");
    assertEquals(List.of("added", "waiting", "active", "waiting", "stalled", "active", "waiting", "stalled", "active",
        "failed", "retries-exhausted"), f.eventNamesOf(job.id()));
    assertFalse(f.redis.exists(f.key(job.id() + ":lock")) == 1);
  }
}
