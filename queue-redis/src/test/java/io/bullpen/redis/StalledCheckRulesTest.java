package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.scheduling.RedisScheduledQueue;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.scheduler.ScheduledQueue.StalledCheck;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stalled check's rules, one call at a time with the time given to the script (so nothing waits for a lock to
 * expire: a deleted lock is one that ran out). A job goes back when it is active, its lock is gone and it has been
 * active for a stalled interval; full checks run once per interval, calls in between look at the last snapshot.
 */
@RedisTest
class StalledCheckRulesTest {
  private static final long INTERVAL = 30_000;
  private WorkerFixture f;
  private DirectRedis direct;
  private RedisScheduledQueue stalledCheck;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
    direct = DirectRedis.connect(server);
    stalledCheck = new RedisScheduledQueue(new QueueKeys("bull", f.queueName), new ScriptRunner(direct.async()),
        5_000);
  }

  @AfterEach
  void tearDown() {
    direct.close();
    f.close();
  }

  /** Adds a job and takes it under a lease of {@code lease}, as a worker takes a job; returns its id. */
  private String activeJob(Duration lease) {
    String id = f.add("job", Map.of()).id();
    List<io.bullpen.Job> claimed = f.queue.leases().claim("owner-" + id, lease, 1);
    assertEquals(List.of(id), claimed.stream().map(io.bullpen.Job::id).toList());
    return id;
  }

  private long processedOn(String id) {
    return Long.parseLong(f.redis.hget(f.key(id), "processedOn"));
  }

  private StalledCheck check(long nowMillis) {
    return stalledCheck.moveStalledJobsToWait(1, INTERVAL, nowMillis);
  }

  private void loseLock(String id) {
    assertEquals(1, f.redis.del(f.key(id + ":lock")));
  }

  @Test
  void aFullCheckRecordsTheActiveJobsAndAsksToBeCalledWhenTheFirstLockRunsOut() {
    String shortLease = activeJob(Duration.ofSeconds(10));
    String longLease = activeJob(Duration.ofSeconds(20));

    StalledCheck full = check(System.currentTimeMillis());

    assertEquals(List.of(), full.moved());
    assertTrue(full.nextCheckInMillis() > 9_000 && full.nextCheckInMillis() <= 10_001, "next in " + full);
    assertEquals(Set.of(shortLease, longLease), f.redis.smembers(f.key("stalled")));
    assertTrue(f.redis.pttl(f.key("stalled-check")) > INTERVAL - 5_000, "the guard holds for an interval");
  }

  @Test
  void betweenFullChecksARecordedJobWhoseLockRanOutGoesBackAtOnceAndTheGuardStays() {
    String dead = activeJob(Duration.ofSeconds(10));
    String alive = activeJob(Duration.ofSeconds(10));
    check(System.currentTimeMillis());
    String guard = f.redis.get(f.key("stalled-check"));
    loseLock(dead);

    StalledCheck between = check(processedOn(dead) + INTERVAL);

    assertEquals(List.of(dead), between.moved());
    assertEquals(List.of(dead), f.redis.lrange(f.key("wait"), 0, -1));
    assertEquals(List.of(alive), f.redis.lrange(f.key("active"), 0, -1));
    assertEquals(Set.of(alive), f.redis.smembers(f.key("stalled")), "the live job stays recorded");
    Map<String, String> hash = f.hash(dead);
    assertEquals("1", hash.get("stc"));
    assertEquals(List.of("added", "waiting", "active", "waiting", "stalled"), f.eventNamesOf(dead));
    assertEquals(guard, f.redis.get(f.key("stalled-check")), "no full check ran");
    assertTrue(between.nextCheckInMillis() <= 10_001, "the live job's lock is still watched: " + between);
  }

  @Test
  void aJobWithoutALockGetsAFullIntervalFromItsStartBeforeItGoesBack() {
    String lockless = activeJob(Duration.ofSeconds(10));
    check(System.currentTimeMillis());
    loseLock(lockless);
    long startedAt = processedOn(lockless);

    StalledCheck young = check(startedAt + INTERVAL - 1);
    StalledCheck ofAge = check(startedAt + INTERVAL);

    assertEquals(List.of(), young.moved());
    assertEquals(1, young.nextCheckInMillis(), "called again when the job has been active an interval");
    assertEquals(List.of(lockless), ofAge.moved());
  }

  @Test
  void aFullCheckGivesBackAJobWhoseLockRanOutThoughNoEarlierCheckRecordedIt() {
    String job = activeJob(Duration.ofSeconds(10));
    loseLock(job);

    StalledCheck full = check(processedOn(job) + INTERVAL);

    assertEquals(List.of(job), full.moved());
    assertEquals(Set.of(), f.redis.smembers(f.key("stalled")));
  }

  @Test
  void aFullCheckGivesBackAJobTheLastOneRecordedWhateverItsStartTimeAsBullmqDoes() {
    String job = activeJob(Duration.ofSeconds(10));
    check(System.currentTimeMillis());
    loseLock(job);
    // Written by a host whose clock is an hour ahead: the job looks young, but the last full check saw it active.
    f.redis.hset(f.key(job), "processedOn", Long.toString(System.currentTimeMillis() + 3_600_000));
    assertEquals(List.of(), check(System.currentTimeMillis()).moved(), "between full checks its age decides");
    f.redis.del(f.key("stalled-check"));

    assertEquals(List.of(job), check(System.currentTimeMillis()).moved());
  }

  @Test
  void aRenewedJobLeavesTheRecordAndIsNotLookedAtBetweenFullChecks() {
    String job = activeJob(Duration.ofSeconds(10));
    check(System.currentTimeMillis());
    f.queue.leases().extend("owner-" + job, List.of(job), Duration.ofSeconds(10));
    assertEquals(Set.of(), f.redis.smembers(f.key("stalled")));
    loseLock(job);

    StalledCheck between = check(processedOn(job) + INTERVAL);

    assertEquals(List.of(), between.moved());
    assertTrue(between.nextCheckInMillis() > INTERVAL - 5_000, "nothing recorded to watch: " + between);
  }
}
