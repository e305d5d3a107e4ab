package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.event.QueueEvent;
import io.bullpen.testkit.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A master fails while a worker (concurrency {@value #CONCURRENCY}) processes a queue and a producer keeps adding,
 * all on one connector; the checks shared by the cluster and Sentinel failover tests: processing resumes by itself,
 * every acknowledged add completes with its {@code completed} event, a cancel still reaches a running job, nothing
 * stays active and no more jobs run twice than were in flight.
 */
final class FailoverScenario {
  static final int CONCURRENCY = 10;

  /** What happened: seconds from the failure to the promotion and from the promotion to the next completion. */
  record Outcome(RedisProcess failed, double toPromotion, double toResume, int jobs, long reruns, int failedAdds) {}

  private FailoverScenario() {}

  static Outcome run(RedisConnector connector, String name, Supplier<RedisProcess> currentMaster,
      BiFunction<RedisProcess, Duration, RedisProcess> awaitNewMaster, Consumer<RedisProcess> fail,
      Consumer<RedisProcess> afterwards) throws Exception {
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    Set<String> completedEvents = ConcurrentHashMap.newKeySet();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicLong lastCompletion = new AtomicLong();
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicInteger failedAdds = new AtomicInteger();
    try (Queue queue = new Queue(name, QueueOptions.builder().connector(connector).build());
        QueueEvents events = new QueueEvents(name, QueueEventsOptions.builder().connector(connector).build());
        Worker worker = new Worker(name, job -> {
          runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
          if (job.name().equals("long")) {
            if (job.cancellation().await(Duration.ofSeconds(30))) {
              job.cancellation().throwIfCancelled();
            }
            return "not cancelled";
          }
          Thread.sleep(20);
          lastCompletion.set(System.nanoTime());
          return "ok";
        }, WorkerOptions.builder().connector(connector).concurrency(CONCURRENCY).build())) {
      events.on(QueueEvent.Completed.class, e -> completedEvents.add(e.job()));
      Thread producer = new Thread(() -> {
        while (producing.get()) {
          try {
            try {
              acknowledged.add(queue.add("work", Map.of()).id());
            } catch (RuntimeException e) {
              failedAdds.incrementAndGet();  // not acknowledged: may or may not exist
            }
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "failover-producer");
      producer.start();
      WorkerFixture.await(Duration.ofSeconds(30), () -> completedEvents.size() >= 100,
          () -> "first completions: " + completedEvents.size());

      RedisProcess master = currentMaster.get();
      long failedAt = System.nanoTime();
      fail.accept(master);
      RedisProcess promoted = awaitNewMaster.apply(master, Duration.ofSeconds(60));
      long promotedAt = System.nanoTime();
      WorkerFixture.await(Duration.ofSeconds(60), () -> lastCompletion.get() > promotedAt,
          () -> "no completion since the replica " + promoted.port() + " took over");
      long resumedAt = lastCompletion.get();
      afterwards.accept(master);
      // Keep adding for a while on the new master, then let the queue drain.
      long addsBefore = acknowledged.size();
      WorkerFixture.await(Duration.ofSeconds(30), () -> acknowledged.size() >= addsBefore + 100,
          () -> "adds after the failover: " + (acknowledged.size() - addsBefore));
      producing.set(false);
      producer.join(10_000);

      WorkerFixture.await(Duration.ofSeconds(60), () -> completedEvents.containsAll(acknowledged),
          () -> "jobs without a completed event: " + acknowledged.stream()
              .filter(id -> !completedEvents.contains(id)).limit(10)
              .map(id -> id + "=" + queue.getJobState(id)).toList());
      List<String> notCompleted = new ArrayList<>();
      for (String id : acknowledged) {
        if (queue.getJobState(id) != JobState.COMPLETED) {
          notCompleted.add(id + "=" + queue.getJobState(id));
        }
      }
      assertEquals(List.of(), notCompleted, "every acknowledged add completed");
      // Cancels still reach running jobs: the shared pub/sub connection followed the master.
      Job running = queue.add("long", Map.of());
      WorkerFixture.await(() -> runs.containsKey(running.id()), "the long job started");
      assertTrue(queue.cancelJob(running.id(), "cancelled after the failover"));
      WorkerFixture.await(() -> queue.getJobState(running.id()) == JobState.FAILED,
          "the cancel reached the worker");
      assertEquals(0L, queue.getJobCounts().get(JobState.ACTIVE), "nothing stuck in active");
      long reruns = runs.values().stream().filter(n -> n.get() > 1).count();
      int most = runs.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
      assertTrue(most <= 2, "a job ran " + most + " times");
      assertTrue(reruns <= CONCURRENCY, reruns + " jobs ran twice, more than were in flight");
      return new Outcome(master, (promotedAt - failedAt) / 1e9, (resumedAt - promotedAt) / 1e9,
          acknowledged.size(), reruns, failedAdds.get());
    }
  }
}
