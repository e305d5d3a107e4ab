package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobNotFoundException;
import io.bullpen.LockLostException;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.job.RedisJobBackend;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job-level operations a Worker's jobs use, through the constructor the Worker calls. */
@RedisTest
class RedisJobBackendTest {
  private RedisProbe probe;
  private String name;
  private String k;
  private Queue queue;
  private RedisJobBackend backend;

  @BeforeEach
  void open(RunningRedis redis) {
    probe = new RedisProbe(redis);
    name = RedisProbe.uniqueQueueName();
    k = "bull:" + name + ":";
    queue = new Queue(name, probe.options().build());
    backend = new RedisJobBackend(new QueueKeys("bull", name), new ScriptRunner(probe.direct.async()), 5000,
        Clock.systemUTC());
  }

  @AfterEach
  void close() {
    queue.close();
    probe.close();
  }

  @Test
  void extendLockRenewsTheLockHeldWithTheTokenAndClearsTheStalledMark() {
    Job job = queue.add("x", null);
    probe.activate("bull", name, job.id(), "tok-1", 0);
    probe.redis.sadd(k + "stalled", job.id());

    backend.extendLock(job.id(), "tok-1", Duration.ofSeconds(90)).join();

    long ttl = probe.redis.pttl(k + job.id() + ":lock");
    assertTrue(ttl > 60_000 && ttl <= 90_000, "ttl " + ttl);
    assertEquals(0, probe.redis.scard(k + "stalled"));
  }

  @Test
  void extendLockThrowsLockLostNamingJobAndQueueWhenTheLockIsGoneOrSomeoneElses() {
    Job job = queue.add("x", null);
    LockLostException missing = assertThrows(LockLostException.class,
        () -> backend.extendLock(job.id(), "tok", Duration.ofSeconds(30)).join());
    assertEquals(job.id(), missing.jobId());
    assertEquals(name, missing.queueName());
    assertTrue(missing.getMessage().contains("missing"), missing.getMessage());

    probe.activate("bull", name, job.id(), "other-worker", 0);
    LockLostException stolen = assertThrows(LockLostException.class,
        () -> backend.extendLock(job.id(), "tok", Duration.ofSeconds(30)).join());
    assertTrue(stolen.getMessage().contains("another worker"), stolen.getMessage());
    assertEquals("other-worker", probe.redis.get(k + job.id() + ":lock"));
  }

  @Test
  void operationsOnAMissingJobThrowJobNotFound() {
    assertThrows(JobNotFoundException.class, () -> backend.updateProgress("nope", "1").join());
    assertThrows(JobNotFoundException.class, () -> backend.addLog("nope", "line", null).join());
    assertThrows(JobNotFoundException.class, () -> backend.updateData("nope", "{}").join());
    assertThrows(JobNotFoundException.class, () -> backend.reprocess("nope").join());
    JobNotFoundException e = assertThrows(JobNotFoundException.class, () -> backend.promote("nope").join());
    assertTrue(e.getMessage().contains(name), e.getMessage());
  }

  @Test
  void keepLogsZeroKeepsEveryLineAsBullMqDoes() {
    Job job = queue.add("x", null);
    assertEquals(1L, backend.addLog(job.id(), "one", 0).join());
    assertEquals(2L, backend.addLog(job.id(), "two", 0).join());
    assertEquals(4L, backend.addLogs(job.id(), List.of("three", "four"), 0));
    assertEquals(List.of("one", "two", "three", "four"), probe.redis.lrange(k + job.id() + ":logs", 0, -1));
  }
}
