package io.bullpen.redis;

import static io.bullpen.redis.EventsTesting.uniqueQueue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Backoff;
import io.bullpen.Job;
import io.bullpen.JobFailedException;
import io.bullpen.JobOptions;
import io.bullpen.Processor;
import io.bullpen.event.QueueEvent;
import io.bullpen.event.QueueEvent.Active;
import io.bullpen.event.QueueEvent.Added;
import io.bullpen.event.QueueEvent.Completed;
import io.bullpen.event.QueueEvent.Delayed;
import io.bullpen.event.QueueEvent.Failed;
import io.bullpen.event.QueueEvent.Progress;
import io.bullpen.event.QueueEvent.RetriesExhausted;
import io.bullpen.event.QueueEvent.Waiting;
import io.bullpen.redis.EventsTesting.Collector;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A Java Queue and Worker write the stream; QueueEvents must see BullMQ's event sequence for each job (§5). */
@RedisTest
class QueueEventsEndToEndTest {
  private static final long BACKOFF_MS = 300;

  @Test
  void jobFailingOnceThenSucceedingShowsBullmqsObservedSequence(RunningRedis redis) throws Exception {
    String queue = uniqueQueue();
    RedisConfig config = RedisConfig.of(redis.uri());
    Collector jobEvents = new Collector();
    String jobId = "flaky-" + UUID.randomUUID();
    try (QueueEvents events = new QueueEvents(queue, QueueEventsOptions.builder().redis(config).build());
        Queue producer = new Queue(queue, QueueOptions.of(config))) {
      events.onJob(jobId, jobEvents);
      Job job = producer.add("flaky", Map.of("n", 1),
          JobOptions.builder().jobId(jobId).attempts(3).backoff(Backoff.fixed(BACKOFF_MS)).build());
      long startedAt = System.currentTimeMillis();
      Processor failsOnce = j -> {
        j.updateProgress(j.attemptsMade() == 0 ? 10 : 90);
        if (j.attemptsMade() == 0) {
          throw new IllegalStateException("first attempt fails");
        }
        return Map.of("ok", true);
      };
      try (Worker worker = new Worker(queue, failsOnce, WorkerOptions.builder().redis(config).build())) {
        assertEquals("{\"ok\":true}", events.waitUntilFinished(job.id(), Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS));
      }
      List<QueueEvent> seen = jobEvents.awaitCount(9);
      assertEquals(List.of("added", "waiting", "active", "progress", "delayed", "waiting", "active", "progress",
          "completed"), seen.stream().map(QueueEvent::name).toList(), seen.toString());
      assertEquals("flaky", ((Added) seen.get(0)).jobName());
      assertEquals(Optional.empty(), ((Waiting) seen.get(1)).prev());
      assertEquals("waiting", ((Active) seen.get(2)).prev());
      assertEquals("10", ((Progress) seen.get(3)).dataJson());
      long due = ((Delayed) seen.get(4)).delay();
      assertTrue(due >= startedAt + BACKOFF_MS && due <= System.currentTimeMillis() + BACKOFF_MS,
          "delayed carries the absolute due time, got " + due);
      assertEquals(Optional.of("delayed"), ((Waiting) seen.get(5)).prev());
      assertEquals("waiting", ((Active) seen.get(6)).prev());
      assertEquals("90", ((Progress) seen.get(7)).dataJson());
      Completed completed = (Completed) seen.get(8);
      assertEquals("{\"ok\":true}", completed.returnValueJson());
      assertEquals("active", completed.prev());
    }
  }

  @Test
  void jobFailingEveryAttemptEndsWithFailedAndRetriesExhausted(RunningRedis redis) throws Exception {
    String queue = uniqueQueue();
    RedisConfig config = RedisConfig.of(redis.uri());
    Collector jobEvents = new Collector();
    try (QueueEvents events = new QueueEvents(queue, QueueEventsOptions.builder().redis(config).build());
        Queue producer = new Queue(queue, QueueOptions.of(config))) {
      String jobId = "doomed-" + UUID.randomUUID();
      events.onJob(jobId, jobEvents);
      Job job = producer.add("doomed", Map.of(),
          JobOptions.builder().jobId(jobId).attempts(2).backoff(Backoff.fixed(BACKOFF_MS)).build());
      Processor alwaysFails = j -> {
        throw new IllegalStateException("always fails");
      };
      try (Worker worker = new Worker(queue, alwaysFails, WorkerOptions.builder().redis(config).build())) {
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> events.waitUntilFinished(job.id(), Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS));
        JobFailedException failed = assertInstanceOf(JobFailedException.class, e.getCause());
        assertEquals("always fails", failed.failedReason());
        assertEquals(queue, failed.queueName());
      }
      List<QueueEvent> seen = jobEvents.awaitCount(8);
      assertEquals(List.of("added", "waiting", "active", "delayed", "waiting", "active", "failed", "retries-exhausted"),
          seen.stream().map(QueueEvent::name).toList(), seen.toString());
      assertEquals(Optional.of("delayed"), ((Waiting) seen.get(4)).prev());
      Failed lastFailure = (Failed) seen.get(6);
      assertEquals("always fails", lastFailure.failedReason());
      assertEquals("active", lastFailure.prev());
      assertEquals(2, ((RetriesExhausted) seen.get(7)).attemptsMade());
    }
  }
}
