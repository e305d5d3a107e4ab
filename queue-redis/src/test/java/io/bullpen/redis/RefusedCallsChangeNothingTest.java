package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.LeaseFailure;
import io.bullpen.LeaseResult;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the property tests found: refused calls that still changed something, or failed with raw errors. */
@RedisTest
class RefusedCallsChangeNothingTest {
  private static final long T0 = 1_750_000_000_000L;
  private RedisProbe probe;
  private TestClock clock;
  private String k;
  private Queue queue;

  @BeforeEach
  void open(RunningRedis redis) {
    probe = new RedisProbe(redis);
    clock = new TestClock(T0);
    String name = RedisProbe.uniqueQueueName();
    k = "bull:" + name + ":";
    queue = new Queue(name, probe.options().clock(clock).build());
  }

  @AfterEach
  void close() {
    queue.close();
    probe.close();
  }

  @Test
  void aLeaseFailOrAckRefusedForAnotherOwnerPromotesNothingAndEmitsNothing() {
    String held = queue.add("held", null, JobOptions.builder().attempts(3).build()).id();
    String later = queue.add("later", null, JobOptions.builder().delay(100).build()).id();
    assertEquals(List.of(held), queue.leases().claim("owner-a", Duration.ofMinutes(1), 5).stream()
        .map(io.bullpen.Job::id).toList());
    clock.advance(200); // the delayed job is due now
    long events = probe.redis.xlen(k + "events");

    LeaseResult failed = queue.leases().fail("owner-b", List.of(LeaseFailure.of(held, "not mine")));
    LeaseResult acked = queue.leases().ack("owner-b", List.of(held));

    assertEquals(LeaseResult.Refusal.LOCK_TAKEN, failed.refused().get(held));
    assertEquals(LeaseResult.Refusal.LOCK_TAKEN, acked.refused().get(held));
    assertEquals(List.of(later), probe.redis.zrange(k + "delayed", 0, -1), "the due job was not promoted");
    assertEquals(0, probe.redis.llen(k + "wait"));
    assertEquals(events, probe.redis.xlen(k + "events"), "no drained (nor any) event");
    assertEquals(JobState.ACTIVE, queue.getJobState(held));
  }

  @Test
  void aRepeatedAckAndALateFailOfAFinishedJobOnAnEmptyQueueChangeNothingAndEmitNoDrained() {
    String id = queue.add("x", null).id();
    queue.leases().claim("owner-a", Duration.ofMinutes(1), 1);
    assertEquals(List.of(id), queue.leases().ack("owner-a", List.of(id)).done());
    assertEquals("drained", probe.events(k + "events").get(probe.events(k + "events").size() - 1).name());
    long events = probe.redis.xlen(k + "events");

    LeaseResult again = queue.leases().ack("owner-a", List.of(id));
    queue.leases().fail("owner-a", List.of(LeaseFailure.of(id, "late")));

    // The same owner repeating its move in the same attempt (a reply it lost) is told "done" again.
    assertEquals(List.of(id), again.done());
    assertEquals(events, probe.redis.xlen(k + "events"), "a repeated or refused finish is no drain");
    assertEquals(1, probe.redis.zcard(k + "completed"));
  }

  @Test
  void pagesEndingBeyondAnyNumberLuaHoldsExactlyReadToTheLast() {
    queue.add("a", null);
    queue.add("b", null);
    assertEquals(2, queue.getJobs(EnumSet.of(JobState.WAITING), 0, Long.MAX_VALUE, true).size());
    assertEquals(0, queue.getJobs(EnumSet.of(JobState.WAITING), Long.MAX_VALUE - 1, Long.MAX_VALUE, true).size());
    assertEquals(0, queue.getJobLogs("1", 0, Long.MAX_VALUE, false).lines().size());
  }

  @Test
  void ownerTokensThatUtf8CannotHoldAreRefused() {
    queue.add("a", null);
    io.bullpen.InvalidOptionException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.bullpen.InvalidOptionException.class, () -> queue.leases().claim("\uD800", Duration.ofMinutes(1), 1));
    assertEquals("ownerToken", e.field());
    assertTrue(probe.redis.llen(k + "wait") == 1, "nothing claimed");
  }
}
