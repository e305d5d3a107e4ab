package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Backoff;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.KeepJobs;
import io.bullpen.LeaseFailure;
import io.bullpen.LeaseResult;
import io.bullpen.UnrecoverableError;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class LeaseApiTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private WorkerFixture f;
  private Leases leases;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
    leases = f.queue.leases();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private List<String> ids(List<Job> jobs) {
    return jobs.stream().map(Job::id).toList();
  }

  @Test
  void claimMovesJobsToActiveLockedByTheOwnerWithTheirActiveEvents() {
    for (int i = 0; i < 5; i++) {
      f.add("job", Map.of("i", i));
    }
    List<Job> claimed = leases.claim("relay-1", Duration.ofSeconds(20), 3);
    assertEquals(List.of("1", "2", "3"), ids(claimed));
    assertEquals(Map.of("i", 0), claimed.get(0).data(Map.class));
    assertEquals("relay-1", claimed.get(0).lockToken().orElseThrow());
    assertEquals(List.of("3", "2", "1"), f.redis.lrange(f.key("active"), 0, -1));
    assertEquals(List.of("5", "4"), f.redis.lrange(f.key("wait"), 0, -1));
    for (Job job : claimed) {
      assertEquals("relay-1", f.redis.get(f.key(job.id() + ":lock")));
      long ttl = f.redis.pttl(f.key(job.id() + ":lock"));
      assertTrue(ttl > 15_000 && ttl <= 20_000, "lease ttl " + ttl);
      assertEquals("1", f.hash(job.id()).get("ats"));
      assertNotNull(f.hash(job.id()).get("processedOn"));
      assertEquals(1, job.attemptsStarted());
      assertEquals(List.of("added", "waiting", "active"), f.eventNamesOf(job.id()));
      assertEquals("waiting", f.eventsOf(job.id()).get(2).get("prev"));
    }
    assertEquals(JobState.ACTIVE, f.queue.getJobState("1"));
    assertEquals(List.of("4", "5"), ids(leases.claim("relay-2", LEASE, 10)));
    assertTrue(leases.claim("relay-2", LEASE, 10).isEmpty());
  }

  @Test
  void claimTakesWaitBeforePrioritizedAndPromotesDueDelayedJobsFirst() throws Exception {
    String urgent = f.add("p1", Map.of(), JobOptions.builder().priority(1).build()).id();
    String low = f.add("p5", Map.of(), JobOptions.builder().priority(5).build()).id();
    String plain = f.add("plain", Map.of()).id();
    String delayed = f.add("later", Map.of(), JobOptions.builder().delay(150).build()).id();
    Thread.sleep(200);
    List<Job> claimed = leases.claim("owner", LEASE, 10);
    assertEquals(List.of(plain, delayed, urgent, low), ids(claimed));
    assertEquals("0", f.hash(delayed).get("delay"));
    assertEquals(List.of("added", "delayed", "waiting", "active"), f.eventNamesOf(delayed));
  }

  @Test
  void claimHonoursPauseGlobalConcurrencyAndTheRateLimit() {
    for (int i = 0; i < 10; i++) {
      f.add("job", Map.of());
    }
    f.queue.pause();
    assertTrue(leases.claim("o", LEASE, 5).isEmpty());
    f.queue.resume();

    f.redis.hset(f.key("meta"), "concurrency", "3");
    assertEquals(3, leases.claim("o", LEASE, 5).size());
    assertTrue(leases.claim("o", LEASE, 5).isEmpty(), "at global concurrency");
    f.redis.hdel(f.key("meta"), "concurrency");

    f.redis.hset(f.key("meta"), Map.of("max", "4", "duration", "60000"));
    assertEquals(4, leases.claim("o", LEASE, 5).size());
    assertTrue(leases.claim("o", LEASE, 5).isEmpty(), "rate limited");
    assertEquals("4", f.redis.get(f.key("limiter")));
    assertTrue(f.redis.pttl(f.key("limiter")) > 50_000);
  }

  @Test
  void manyConcurrentClaimersNeverShareAJobAndLoseNone() throws Exception {
    int total = 1500;
    List<io.bullpen.JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      specs.add(JobSpec.of("job", Map.of("i", i), null));
    }
    f.queue.addBulk(specs);
    Map<String, String> owners = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Queue> queues = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Queue q = new Queue(f.queueName, QueueOptions.builder().redis(RedisConfig.of(f.server.uri())).build());
      queues.add(q);
      String owner = "owner-" + t;
      int batch = 1 + t * 3;
      threads.add(new Thread(() -> {
        while (true) {
          List<Job> jobs = q.leases().claim(owner, LEASE, batch);
          if (jobs.isEmpty()) {
            return;
          }
          Map<String, Object> results = new HashMap<>();
          for (Job job : jobs) {
            if (owners.putIfAbsent(job.id(), owner) != null) {
              duplicates.incrementAndGet();
            }
            results.put(job.id(), Map.of("by", owner));
          }
          LeaseResult acked = q.leases().ack(owner, results);
          if (!acked.allDone()) {
            duplicates.incrementAndGet();
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(60_000);
    }
    queues.forEach(Queue::close);
    assertEquals(0, duplicates.get());
    assertEquals(total, owners.size());
    assertEquals(total, f.redis.zcard(f.key("completed")));
    assertEquals(0, f.redis.llen(f.key("active")));
    assertEquals(0, f.redis.llen(f.key("wait")));
    String owner = owners.get("700");
    assertEquals("{\"by\":\"" + owner + "\"}", f.hash("700").get("returnvalue"));
  }

  /** An owner whose reply was lost acks again: the repeat is done too, and the job completed once. */
  @Test
  void anAckSentAgainWithTheSameOwnerIsDoneAgainAndCompletesTheJobOnce() {
    String id = f.add("job", Map.of()).id();
    leases.claim("me", LEASE, 1);
    assertEquals(List.of(id), leases.ack("me", Map.of(id, 1)).done());
    assertEquals(List.of(id), leases.ack("me", Map.of(id, 1)).done());
    assertEquals(List.of("added", "waiting", "active", "completed"), f.eventNamesOf(id));
    assertEquals(1, f.redis.zcard(f.key("completed")));
  }

  /**
   * A lease that ran out and was recovered is not "done" for a late ack of the same owner, although that owner
   * settled an earlier attempt of the job: the repeat check is per attempt.
   */
  @Test
  void aLateAckOfAnExpiredLeaseIsRefusedEvenWhenTheSameOwnerSettledAnEarlierAttempt() {
    String id = f.add("job", Map.of(), JobOptions.builder().attempts(3).build()).id();
    leases.claim("me", LEASE, 1);
    assertTrue(leases.fail("me", List.of(LeaseFailure.of(id, "try again"))).allDone());
    assertEquals(JobState.WAITING, f.queue.getJobState(id), "retried at once (no backoff)");
    leases.claim("me", LEASE, 1);
    f.redis.del(f.key(id + ":lock"));  // the second lease ran out
    LeaseResult late = leases.ack("me", List.of(id));
    assertEquals(Map.of(id, LeaseResult.Refusal.LOCK_EXPIRED), late.refused());
    assertEquals(0, f.redis.zcard(f.key("completed")));
  }

  @Test
  void ackReportsLostLeasesAndCompletesTheOthers() {
    for (int i = 0; i < 4; i++) {
      f.add("job", Map.of());
    }
    leases.claim("me", LEASE, 4);
    f.redis.del(f.key("2:lock"));                 // the lease ran out
    f.redis.set(f.key("3:lock"), "someone-else");  // taken over after a stall
    Map<String, Object> results = new java.util.LinkedHashMap<>();
    results.put("1", 1);
    results.put("2", 2);
    results.put("3", 3);
    results.put("404", 4);
    LeaseResult result = leases.ack("me", results);
    assertEquals(List.of("1"), result.done());
    assertEquals(Map.of("2", LeaseResult.Refusal.LOCK_EXPIRED, "3", LeaseResult.Refusal.LOCK_TAKEN,
        "404", LeaseResult.Refusal.NOT_FOUND), result.refused());
    assertEquals(List.of("2", "3", "404"), result.lost());
    assertEquals("1", f.hash("1").get("returnvalue"));
    assertEquals("1", f.hash("1").get("atm"));
    assertNull(f.redis.get(f.key("1:lock")));
    assertEquals(List.of("added", "waiting", "active", "completed"), f.eventNamesOf("1"));
    assertEquals(List.of("added", "waiting", "active"), f.eventNamesOf("2"));
    assertEquals("someone-else", f.redis.get(f.key("3:lock")));
    assertEquals(List.of("4", "3", "2"), f.redis.lrange(f.key("active"), 0, -1));
    assertEquals(List.of("4"), leases.ack("me", List.of("4")).done());
    assertEquals("null", f.hash("4").get("returnvalue"));
  }

  @Test
  void ackAppliesEachJobsKeepPolicyAndEmitsDrainedWhenTheQueueEmpties() {
    String removed = f.add("gone", Map.of(), JobOptions.builder().removeOnComplete(KeepJobs.none()).build()).id();
    String kept = f.add("kept", Map.of()).id();
    leases.claim("me", LEASE, 2);
    assertTrue(leases.ack("me", List.of(removed, kept)).allDone());
    assertEquals(0, f.redis.exists(f.key(removed)));
    assertEquals(List.of(kept), f.redis.zrange(f.key("completed"), 0, -1));
    List<String> all = f.eventNamesOf(null);
    assertEquals("drained", all.get(all.size() - 1));
    assertEquals(1, all.stream().filter("drained"::equals).count());
  }

  @Test
  void failRetriesAfterTheBackoffThenFailsForGoodWithRetriesExhausted() {
    String id = f.add("flaky", Map.of(),
        JobOptions.builder().attempts(2).backoff(Backoff.fixed(10_000)).build()).id();
    leases.claim("me", LEASE, 1);
    LeaseResult first = leases.fail("me", List.of(LeaseFailure.of(id, new IllegalStateException("boom 1"))));
    assertEquals(List.of(id), first.done());
    Map<String, String> hash = f.hash(id);
    assertEquals("1", hash.get("atm"));
    assertEquals("boom 1", hash.get("failedReason"));
    assertEquals("10000", hash.get("delay"));
    assertTrue(hash.get("stacktrace").contains("IllegalStateException: boom 1"));
    assertEquals(JobState.DELAYED, f.queue.getJobState(id));
    assertEquals(List.of("added", "waiting", "active", "delayed"), f.eventNamesOf(id));

    f.queue.promote(id);
    assertEquals(List.of(id), ids(leases.claim("me", LEASE, 1)));
    leases.fail("me", List.of(LeaseFailure.of(id, "boom 2")));
    assertEquals(JobState.FAILED, f.queue.getJobState(id));
    hash = f.hash(id);
    assertEquals("2", hash.get("atm"));
    assertEquals("boom 2", hash.get("failedReason"));
    assertNotNull(hash.get("finishedOn"));
    List<String> names = f.eventNamesOf(id);
    assertEquals(List.of("failed", "retries-exhausted"), names.subList(names.size() - 2, names.size()));
    assertEquals("2", f.eventsOf(id).get(names.size() - 1).get("attemptsMade"));
  }

  @Test
  void failWithACustomBackoffRetriesAfterTheStrategysDelayAsAWorkerFailureDoes() {
    List<String> seen = new ArrayList<>();
    QueueOptions options = QueueOptions.builder().redis(RedisConfig.of(f.server.uri()))
        .backoffStrategy("linear", (attemptsMade, type, error, job) -> {
          seen.add(type + " " + attemptsMade + " " + error.getMessage() + " " + job.id());
          return attemptsMade * 7_000L;
        }).build();
    try (Queue queue = new Queue(f.queueName, options)) {
      String id = queue.add("flaky", Map.of(),
          JobOptions.builder().attempts(3).backoff(Backoff.custom("linear", 1)).build()).id();
      queue.leases().claim("me", LEASE, 1);
      LeaseResult result = queue.leases().fail("me", List.of(LeaseFailure.of(id, "boom")));
      assertEquals(List.of(id), result.done());
      assertEquals(List.of("linear 1 boom " + id), seen);
      assertEquals(JobState.DELAYED, queue.getJobState(id));
      assertEquals("7000", f.hash(id).get("delay"));
      assertEquals("1", f.hash(id).get("atm"));

      // Without a strategy for the type the job fails for good, as on a worker that lacks it.
      String other = queue.add("other", Map.of(),
          JobOptions.builder().attempts(3).backoff(Backoff.custom("unknown", 1)).build()).id();
      queue.leases().claim("me", LEASE, 1);
      assertTrue(queue.leases().fail("me", List.of(LeaseFailure.of(other, "boom"))).allDone());
      assertEquals(JobState.FAILED, queue.getJobState(other));
    }
  }

  @Test
  void failRetriesAtOnceWithoutBackoffAndUnrecoverableErrorsFailAtOnce() {
    String again = f.add("again", Map.of(), JobOptions.builder().attempts(3).build()).id();
    String fatal = f.add("fatal", Map.of(), JobOptions.builder().attempts(3).build()).id();
    String later = f.add("later", Map.of(), JobOptions.builder().attempts(3).build()).id();
    leases.claim("me", LEASE, 3);
    LeaseResult result = leases.fail("me", List.of(
        LeaseFailure.of(again, "try again"),
        LeaseFailure.of(fatal, new UnrecoverableError("never")),
        LeaseFailure.of(later, "not yet").retryAfter(Duration.ofSeconds(60))));
    assertTrue(result.allDone());
    assertEquals(List.of(again), f.redis.lrange(f.key("wait"), 0, -1));
    assertEquals("1", f.hash(again).get("atm"));
    assertEquals("active", f.eventsOf(again).get(f.eventsOf(again).size() - 1).get("prev"));
    assertEquals(JobState.FAILED, f.queue.getJobState(fatal));
    assertEquals("never", f.hash(fatal).get("failedReason"));
    assertEquals(JobState.DELAYED, f.queue.getJobState(later));
    assertEquals("60000", f.hash(later).get("delay"));
    assertEquals("1", f.hash(later).get("atm"));
  }

  @Test
  void failOfAJobNotHeldIsReportedAndChangesNothing() {
    String id = f.add("job", Map.of()).id();
    leases.claim("me", LEASE, 1);
    LeaseResult result = leases.fail("intruder", List.of(LeaseFailure.of(id, "no"), LeaseFailure.of("nope", "x")));
    assertEquals(Map.of(id, LeaseResult.Refusal.LOCK_TAKEN, "nope", LeaseResult.Refusal.NOT_FOUND),
        result.refused());
    assertNull(f.hash(id).get("failedReason"));
    assertEquals(JobState.ACTIVE, f.queue.getJobState(id));
  }

  @Test
  void abandonPutsJobsBackAtTheFrontWithoutUsingAnAttempt() {
    for (int i = 0; i < 3; i++) {
      f.add("job", Map.of());
    }
    String prio = f.add("prio", Map.of(), JobOptions.builder().priority(3).build()).id();
    leases.claim("me", LEASE, 2);
    leases.claim("me", LEASE, 5);
    LeaseResult result = leases.abandon("me", List.of("1", prio));
    assertTrue(result.allDone());
    assertEquals("1", f.redis.lindex(f.key("wait"), -1), "front of wait");
    assertEquals(3L * 4294967296L, f.redis.zscore(f.key("prioritized"), prio).longValue());
    assertNull(f.hash("1").get("atm"));
    assertEquals("1", f.hash("1").get("ats"));
    assertNull(f.redis.get(f.key("1:lock")));
    assertEquals(List.of("added", "waiting", "active", "waiting"), f.eventNamesOf("1"));
    assertEquals(List.of("1", prio), ids(leases.claim("other", LEASE, 4)));
    assertEquals(LeaseResult.Refusal.LOCK_TAKEN, leases.abandon("me", List.of("1")).refused().get("1"));
  }

  @Test
  void extendRenewsTheLeaseAndTakesTheJobOutOfTheStalledSnapshot() {
    f.add("job", Map.of());
    leases.claim("me", Duration.ofMillis(2_000), 1);
    f.redis.sadd(f.key("stalled"), "1");
    LeaseResult result = leases.extend("me", List.of("1", "2"), Duration.ofSeconds(90));
    assertEquals(List.of("1"), result.done());
    assertEquals(LeaseResult.Refusal.NOT_FOUND, result.refused().get("2"));
    assertTrue(f.redis.pttl(f.key("1:lock")) > 80_000);
    assertEquals(0, f.redis.scard(f.key("stalled")));
    assertEquals(LeaseResult.Refusal.LOCK_TAKEN,
        leases.extend("other", List.of("1"), Duration.ofSeconds(1)).refused().get("1"));
  }

  @Test
  void anExpiredLeaseIsReclaimedByTheStalledCheckAndTheLateAckIsReportedLost() {
    String id = f.add("job", Map.of()).id();
    leases.claim("sleepy", Duration.ofMillis(100), 1);
    List<String> processed = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.worker(job -> {
      processed.add(job.id());
      return "by worker";
    }, f.options().stalled(StalledOptions.builder().interval(Duration.ofMillis(300)).build()));
    WorkerFixture.await(() -> f.redis.zscore(f.key("completed"), id) != null, "the worker completed the job");
    assertEquals(List.of(id), processed);
    assertEquals("1", f.hash(id).get("stc"));
    LeaseResult late = leases.ack("sleepy", List.of(id));
    assertEquals(List.of(id), late.lost());
    assertEquals("\"by worker\"", f.hash(id).get("returnvalue"));
    List<String> names = f.eventNamesOf(id);
    assertTrue(names.containsAll(List.of("stalled", "completed")), names.toString());
  }

  @Test
  void aClaimedJobCarryingADeferredFailureFailsAtOnceAndIsNotHandedOut() {
    String doomed = f.add("doomed", Map.of()).id();
    String fine = f.add("fine", Map.of()).id();
    f.redis.hset(f.key(doomed), "defa", "job stalled more than allowable limit");
    assertEquals(List.of(fine), ids(leases.claim("me", LEASE, 5)));
    assertEquals(JobState.FAILED, f.queue.getJobState(doomed));
    assertEquals("job stalled more than allowable limit", f.hash(doomed).get("failedReason"));
    assertNull(f.hash(doomed).get("defa"));
  }

  @Test
  void badArgumentsAreRefusedBeforeReachingRedis() {
    assertEquals("ownerToken", assertThrows(InvalidOptionException.class,
        () -> leases.claim("", LEASE, 1)).field());
    assertEquals("ownerToken", assertThrows(InvalidOptionException.class,
        () -> leases.claim("0", LEASE, 1)).field());
    assertEquals("maxJobs", assertThrows(InvalidOptionException.class,
        () -> leases.claim("o", LEASE, 0)).field());
    assertEquals("leaseDuration", assertThrows(InvalidOptionException.class,
        () -> leases.claim("o", Duration.ZERO, 1)).field());
    assertEquals("jobId", assertThrows(InvalidOptionException.class,
        () -> leases.abandon("o", List.of("1", "1"))).field());
    assertEquals("duration", assertThrows(InvalidOptionException.class,
        () -> leases.extend("o", List.of("1"), Duration.ofMillis(-5))).field());
  }

  @Test
  void successiveClaimsCountAgainstTheSameRateLimitWindow() {
    for (int i = 0; i < 3; i++) {
      f.add("job", Map.of());
    }
    f.redis.hset(f.key("meta"), Map.of("max", "10", "duration", "5000"));
    leases.claim("o", LEASE, 2);
    long ttl = f.redis.pttl(f.key("limiter"));
    leases.claim("o", LEASE, 1);
    assertEquals("3", f.redis.get(f.key("limiter")));
    assertTrue(f.redis.pttl(f.key("limiter")) <= ttl, "the window is not restarted");
  }
}
