package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.JobOptions;
import io.bullpen.KeepJobs;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class WorkerRetentionTest {
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private boolean exists(String jobId) {
    return f.redis.exists(f.key(jobId)) == 1;
  }

  @Test
  void removeOnCompleteTrueDeletesTheJobButStillEmitsCompleted() {
    String id = f.add("gone", Map.of(), JobOptions.builder().removeOnComplete(true).build()).id();
    f.worker(job -> {
      job.log("a line");
      return "result";
    });
    WorkerFixture.await(() -> f.eventNamesOf(id).contains("completed"), "completed event");
    assertEquals(0L, f.redis.zcard(f.key("completed")));
    assertEquals(0L, f.redis.exists(f.key(id), f.key(id + ":logs"), f.key(id + ":lock")));
    assertEquals("result", Json.read(f.eventsOf(id).get(f.eventsOf(id).size() - 1).get("returnvalue")));
  }

  @Test
  void workerKeepPolicyKeepsOnlyTheNewestCompletedJobs() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(f.add("job", Map.of()).id());
    }
    f.worker(job -> null, f.options().removeOnComplete(KeepJobs.newest(2)));
    WorkerFixture.await(() -> f.eventNamesOf(ids.get(4)).contains("completed"), "last job completed");
    assertEquals(List.of(ids.get(3), ids.get(4)), f.redis.zrange(f.key("completed"), 0, -1));
    for (int i = 0; i < 3; i++) {
      assertTrue(!exists(ids.get(i)), "job " + ids.get(i) + " was evicted");
    }
  }

  @Test
  void jobKeepPolicyOverridesTheWorkers() {
    String kept = f.add("kept", Map.of(), JobOptions.builder().removeOnComplete(false).build()).id();
    String dropped = f.add("dropped", Map.of()).id();
    f.worker(job -> null, f.options().removeOnComplete(KeepJobs.none()));
    WorkerFixture.await(() -> f.eventNamesOf(dropped).contains("completed"), "both completed");
    assertTrue(exists(kept));
    assertTrue(!exists(dropped));
  }

  @Test
  void removeOnFailByAgeEvictsFailedJobsOlderThanTheAge() {
    TestClock clock = new TestClock(1_800_000_000_000L);
    String old = f.add("old", Map.of()).id();
    f.worker(job -> {
      throw new IllegalStateException("fails");
    }, f.options().clock(clock).removeOnFail(KeepJobs.maxAge(60, -1)));
    WorkerFixture.await(() -> f.redis.zscore(f.key("failed"), old) != null, "first job failed");
    clock.advance(30_000);
    String middle = f.add("middle", Map.of()).id();
    WorkerFixture.await(() -> f.redis.zscore(f.key("failed"), middle) != null, "second job failed");
    assertTrue(exists(old), "30 s old: kept");
    clock.advance(31_000);
    String recent = f.add("recent", Map.of()).id();
    WorkerFixture.await(() -> f.redis.zscore(f.key("failed"), recent) != null, "third job failed");
    assertTrue(!exists(old), "61 s old: evicted");
    assertEquals(List.of(middle, recent), f.redis.zrange(f.key("failed"), 0, -1));
    assertEquals(Long.toString(clock.millis()), f.hash(recent).get("finishedOn"));
  }

  @Test
  void removeOnFailCountAndAgeLimitApplyTogether() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(f.add("job", Map.of(), JobOptions.builder().removeOnFail(new KeepJobs(3, 3600, 1)).build()).id());
    }
    f.worker(job -> {
      throw new IllegalStateException("fails");
    });
    WorkerFixture.await(() -> f.eventNamesOf(ids.get(3)).contains("failed"), "last job failed");
    assertEquals(ids.subList(1, 4), f.redis.zrange(f.key("failed"), 0, -1));
    assertNotNull(f.hash(ids.get(3)).get("finishedOn"));
    assertEquals("fails", f.hash(ids.get(3)).get("failedReason"));
  }

  /** Tiny JSON reader for a returned string value. */
  private static final class Json {
    static String read(String json) {
      return json.substring(1, json.length() - 1);
    }
  }
}
