package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Jobs failing for good are copied to the dead-letter queue with their history, and can be replayed in bulk. */
@RedisTest
class DeadLetterTest {
  private WorkerFixture f;
  private String dlq;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
    dlq = f.queueName + "-dlq"; // shares the queue's slot on a cluster
    f.queue.deadLetters().setQueue(dlq);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private String dlqKey(String suffix) {
    return "bull:" + dlq + ":" + suffix;
  }

  @Test
  void exhaustedJobsAreCopiedWithTheirHistoryAndReason() {
    assertEquals(Optional.of(dlq), f.queue.deadLetters().getQueue());
    Job job = f.add("charge", Map.of("amount", 5), JobOptions.builder().attempts(2).build());
    f.worker(j -> {
      j.log("attempt " + j.attemptsMade());
      throw new IllegalStateException("card declined");
    });
    WorkerFixture.await(() -> f.redis.zcard(dlqKey("failed")) == 1, "dead-lettered");
    String copyId = f.redis.zrange(dlqKey("failed"), 0, -1).get(0);
    Map<String, String> copy = f.redis.hgetall(dlqKey(copyId));
    assertEquals("charge", copy.get("name"));
    assertEquals("{\"amount\":5}", copy.get("data"));
    assertEquals("bull:" + f.queueName, copy.get("dlsrc"));
    assertEquals(job.id(), copy.get("dlid"));
    assertEquals("card declined", copy.get("dlreason"));
    assertEquals("2", copy.get("atm"));
    assertTrue(copy.get("stacktrace").split("card declined", -1).length - 1 >= 2, "both failures' traces kept");
    assertEquals(List.of("attempt 0", "attempt 1"), f.redis.lrange(dlqKey(copyId + ":logs"), 0, -1));
    assertEquals(JobState.FAILED, f.queue.getJobState(job.id()), "the original stays where BullMQ puts it");
    assertTrue(f.eventNamesOf(job.id()).contains("dead-lettered"));
    try (Queue dead = new Queue(dlq, QueueOptions.builder().redis(RedisConfig.of(f.server.uri())).build())) {
      Job seen = dead.getJob(copyId).orElseThrow();
      assertEquals(Optional.of("card declined"), seen.failedReason());
    }
  }

  @Test
  void jobsStalledTooOftenAndUnrecoverableOnesAreDeadLetteredButCancelledOnesAreNot() throws Exception {
    Job stalled = f.add("s", Map.of(), JobOptions.builder().attempts(5).build());
    f.redis.hset(f.key(stalled.id()), "defa", "job stalled more than allowable limit");
    Job removed = f.add("r", Map.of(), JobOptions.builder().removeOnFail(true).build());
    Job cancelled = f.add("c", Map.of());
    f.queue.cancelJob(cancelled.id(), "no longer wanted");
    f.worker(j -> {
      throw new IllegalStateException("boom " + j.name());
    });
    WorkerFixture.await(() -> f.queue.getJobState(cancelled.id()) == JobState.FAILED
        && f.redis.zcard(dlqKey("failed")) == 2, "two dead letters");
    Thread.sleep(200);
    assertEquals(2, f.redis.zcard(dlqKey("failed")));
    List<String> reasons = new ArrayList<>();
    for (String id : f.redis.zrange(dlqKey("failed"), 0, -1)) {
      reasons.add(f.redis.hget(dlqKey(id), "dlreason"));
    }
    reasons.sort(null);
    assertEquals(List.of("boom r", "job stalled more than allowable limit"), reasons);
    assertTrue(f.hash(removed.id()).isEmpty(), "removeOnFail still removes the original");
  }

  @Test
  void replayMovesDeadLettersBackInBulkAndTheyRunAgain() {
    Set<String> healthy = ConcurrentHashMap.newKeySet();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      JobOptions opts = i % 2 == 0 ? JobOptions.builder().removeOnFail(true).build() : JobOptions.defaults();
      ids.add(f.add("sync", Map.of("i", i), opts).id());
    }
    Worker worker = f.worker(j -> {
      if (!healthy.contains("yes")) {
        throw new IllegalStateException("downstream is down");
      }
      return j.data(Map.class).get("i");
    });
    WorkerFixture.await(() -> f.redis.zcard(dlqKey("failed")) == 5, "five dead letters");
    healthy.add("yes");
    assertEquals(2, f.queue.deadLetters().replay(2));
    assertEquals(3, f.queue.deadLetters().replay());
    assertEquals(0, f.redis.zcard(dlqKey("failed")));
    for (String id : ids) {
      WorkerFixture.await(() -> f.queue.getJobState(id) == JobState.COMPLETED, "replayed job " + id + " completed");
      assertEquals("1", f.hash(id).get("atm"), "fresh attempt counters");
    }
    assertEquals(0, f.queue.deadLetters().replay());
    worker.close();
    f.queue.deadLetters().removeQueue();
    assertThrows(InvalidOptionException.class, () -> f.queue.deadLetters().replay());
    assertThrows(InvalidOptionException.class, () -> f.queue.deadLetters().setQueue(f.queueName));
  }
}
