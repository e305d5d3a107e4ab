package io.bullpen.redis;

import static io.bullpen.redis.EventsTesting.options;
import static io.bullpen.redis.EventsTesting.uniqueQueue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.ClosedException;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobFailedException;
import io.bullpen.redis.EventsTesting.Writer;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

@RedisTest
class QueueEventsWaitTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private static Throwable failureOf(CompletableFuture<String> future) throws InterruptedException {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(15, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void jobCompletedBeforeTheCallIsFoundInTheCompletedSet(RunningRedis redis) throws Exception {
    String queue = uniqueQueue();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      w.redis.hset("bull:" + queue + ":7", "returnvalue", "{\"total\":3}");
      w.redis.zadd("bull:" + queue + ":completed", 1_700_000_000_000d, "7");
      assertEquals("{\"total\":3}", events.waitUntilFinished("7", LONG).get(15, TimeUnit.SECONDS));
    }
  }

  @Test
  void jobFailedBeforeTheCallFailsTheFutureWithItsReason(RunningRedis redis) throws Exception {
    String queue = uniqueQueue();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      w.redis.hset("bull:" + queue + ":8", "failedReason", "card declined");
      w.redis.zadd("bull:" + queue + ":failed", 1_700_000_000_000d, "8");
      JobFailedException failed = assertInstanceOf(JobFailedException.class,
          failureOf(events.waitUntilFinished("8", LONG)));
      assertEquals("8", failed.jobId());
      assertEquals(queue, failed.queueName());
      assertEquals("card declined", failed.failedReason());
    }
  }

  @Test
  void completedJobWhoseHashIsGoneYieldsJsonNull(RunningRedis redis) throws Exception {
    String queue = uniqueQueue();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      w.redis.zadd("bull:" + queue + ":completed", 1_700_000_000_000d, "9");
      assertEquals("null", events.waitUntilFinished("9", LONG).get(15, TimeUnit.SECONDS));
    }
  }

  @Test
  void jobCompletingLaterCompletesTheFutureFromItsEvent(RunningRedis redis) throws Exception {
    String queue = uniqueQueue();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      CompletableFuture<String> result = events.waitUntilFinished("1", LONG);
      Thread.sleep(200);
      assertFalse(result.isDone());
      w.event("bull:" + queue + ":events", "event", "completed", "jobId", "2", "returnvalue", "\"other\"", "prev",
          "active");
      w.event("bull:" + queue + ":events", "event", "completed", "jobId", "1", "returnvalue", "\"mine\"", "prev",
          "active");
      assertEquals("\"mine\"", result.get(15, TimeUnit.SECONDS));
    }
  }

  @Test
  void jobFailingLaterFailsTheFuture(RunningRedis redis) throws Exception {
    String queue = uniqueQueue();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      CompletableFuture<String> result = events.waitUntilFinished("1", LONG);
      w.event("bull:" + queue + ":events", "event", "failed", "jobId", "1", "failedReason", "boom", "prev", "active");
      JobFailedException failed = assertInstanceOf(JobFailedException.class, failureOf(result));
      assertEquals("boom", failed.failedReason());
      assertTrue(failed.getMessage().contains("boom"), failed.getMessage());
    }
  }

  @Test
  void jobThatNeverFinishesTimesOut(RunningRedis redis) throws Exception {
    String queue = uniqueQueue();
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      CompletableFuture<String> result = events.waitUntilFinished("1", Duration.ofMillis(300));
      w.event("bull:" + queue + ":events", "event", "active", "jobId", "1", "prev", "waiting");
      Throwable timeout = failureOf(result);
      assertInstanceOf(TimeoutException.class, timeout);
      assertTrue(timeout.getMessage().contains("1"), timeout.getMessage());
    }
  }

  @Test
  void closeFailsPendingWaitsAndRefusesLaterWaits(RunningRedis redis) throws Exception {
    String queue = uniqueQueue();
    QueueEvents events = new QueueEvents(queue, options(redis.uri()));
    CompletableFuture<String> pending = events.waitUntilFinished("1", LONG);
    events.close();
    assertInstanceOf(ClosedException.class, failureOf(pending));
    assertThrows(ClosedException.class, () -> events.waitUntilFinished("2", LONG));
  }

  @Test
  void manyConcurrentWaitsEachGetTheirOwnResult(RunningRedis redis) throws Exception {
    String queue = uniqueQueue();
    int jobs = 200;
    try (Writer w = new Writer(redis); QueueEvents events = new QueueEvents(queue, options(redis.uri()))) {
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        results.add(events.waitUntilFinished("job-" + i, LONG));
      }
      for (int i = jobs - 1; i >= 0; i--) {
        w.event("bull:" + queue + ":events", "event", "completed", "jobId", "job-" + i, "returnvalue",
            String.valueOf(i), "prev", "active");
      }
      for (int i = 0; i < jobs; i++) {
        assertEquals(String.valueOf(i), results.get(i).get(15, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void rejectsInvalidArguments(RunningRedis redis) {
    try (QueueEvents events = new QueueEvents(uniqueQueue(), options(redis.uri()))) {
      assertThrows(InvalidOptionException.class, () -> events.waitUntilFinished("", LONG));
      assertThrows(InvalidOptionException.class, () -> events.waitUntilFinished(null, LONG));
      assertThrows(InvalidOptionException.class, () -> events.waitUntilFinished("1", Duration.ZERO));
      assertThrows(InvalidOptionException.class, () -> events.waitUntilFinished("1", Duration.ofSeconds(-1)));
    }
  }
}
