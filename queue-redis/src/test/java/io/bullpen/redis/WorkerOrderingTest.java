package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.JobOptions;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class WorkerOrderingTest {
  private WorkerFixture f;
  private final List<String> order = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private Worker startRecordingWorker() {
    Worker worker = f.worker(job -> order.add(job.name()), f.options().autorun(false));
    worker.run();
    return worker;
  }

  @Test
  void anUntypedLambdaIsASynchronousProcessorAndItsResultIsStored() {
    f.add("plain", Map.of());
    try (Worker worker = new Worker(f.queueName, job -> job.name() + "-done", f.options().build())) {
      WorkerFixture.await(() -> f.queue.getJobCounts(io.bullpen.JobState.COMPLETED)
          .get(io.bullpen.JobState.COMPLETED) == 1, "job completed");
    }
    io.bullpen.Job done = f.queue.getJobs(java.util.Set.of(io.bullpen.JobState.COMPLETED), 0, -1, true).get(0);
    assertEquals("\"plain-done\"", done.returnValueJson().orElseThrow());
  }

  @Test
  void fifoJobsRunInTheOrderTheyWereAdded() {
    for (int i = 0; i < 5; i++) {
      f.add("job-" + i, Map.of());
    }
    startRecordingWorker();
    WorkerFixture.await(() -> order.size() == 5, "5 jobs processed");
    assertEquals(List.of("job-0", "job-1", "job-2", "job-3", "job-4"), order);
  }

  @Test
  void lifoJobsRunBeforeOlderWaitingJobs() {
    f.add("a", Map.of());
    f.add("b", Map.of());
    f.add("c", Map.of(), JobOptions.builder().lifo(true).build());
    startRecordingWorker();
    WorkerFixture.await(() -> order.size() == 3, "3 jobs processed");
    assertEquals(List.of("c", "a", "b"), order);
  }

  @Test
  void waitingJobsRunBeforePrioritizedOnesAndLowerPriorityNumbersFirst() {
    f.add("p5-first", Map.of(), JobOptions.builder().priority(5).build());
    f.add("p1", Map.of(), JobOptions.builder().priority(1).build());
    f.add("plain", Map.of());
    f.add("p5-second", Map.of(), JobOptions.builder().priority(5).build());
    startRecordingWorker();
    WorkerFixture.await(() -> order.size() == 4, "4 jobs processed");
    assertEquals(List.of("plain", "p1", "p5-first", "p5-second"), order);
  }

  @Test
  void delayedJobRunsOnlyAfterItsDelayWithoutWaitingForTheDrainDelay() {
    // A long drain delay shows that the delay marker, not the idle timeout, wakes the worker.
    Worker worker = f.worker(job -> order.add(job.name()), f.options().drainDelay(Duration.ofSeconds(30)));
    WorkerFixture.await(() -> worker.activeCount() == 0 && f.redis.exists(f.key("stalled-check")) == 1,
        "worker idle");
    String id = f.add("later", Map.of(), JobOptions.builder().delay(1500).build()).id();
    assertEquals(1L, f.redis.zcard(f.key("delayed")));
    WorkerFixture.await(Duration.ofSeconds(15), () -> order.size() == 1, () -> "delayed job processed");
    Map<String, String> hash = f.hash(id);
    long due = Long.parseLong(hash.get("timestamp")) + 1500;
    long started = Long.parseLong(hash.get("processedOn"));
    assertTrue(started >= due, "started at " + started + " before due " + due);
    assertTrue(started - due < 5000, "started " + (started - due) + " ms after due");
    assertEquals("0", hash.get("delay"));
    assertEquals(List.of("added", "delayed", "waiting", "active", "completed"), f.eventNamesOf(id));
    assertEquals("delayed", f.eventsOf(id).get(2).get("prev"));
  }
}
