package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** job.log inside a worker buffers lines and writes them in batches, in order, without losing any on close. */
@RedisTest
class JobLogBatchingTest {
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static List<String> lines(String prefix, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void linesAreWrittenInBatchesAndInOrder(WorkerKind kind) throws Exception {
    CountDownLatch logged = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Job job = f.add("chatty", Map.of());
    List<Long> counts = new ArrayList<>();
    f.worker(kind, j -> {
      for (String line : lines("a", 5)) {
        counts.add(j.log(line));
      }
      logged.countDown();
      release.await(10, TimeUnit.SECONDS);
      for (String line : lines("b", 250)) {
        j.log(line);
      }
      return null;
    });
    assertTrue(logged.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), counts);
    assertEquals(0, f.redis.llen(f.key(job.id() + ":logs")), "five fresh lines are still buffered");
    WorkerFixture.await(Duration.ofSeconds(5), () -> f.redis.llen(f.key(job.id() + ":logs")) == 5,
        () -> "lines a second old are written while the job runs");
    release.countDown();
    WorkerFixture.await(() -> f.redis.zscore(f.key("completed"), job.id()) != null, "completed");
    List<String> expected = lines("a", 5);
    expected.addAll(lines("b", 250));
    assertEquals(expected, f.queue.getJobLogs(job.id()).lines());
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void fullBatchesAreWrittenWithoutWaitingForTheSecond(WorkerKind kind) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Job job = f.add("chatty", Map.of());
    f.worker(kind, j -> {
      for (String line : lines("x", 100)) {
        j.log(line);
      }
      release.await(10, TimeUnit.SECONDS);
      return null;
    });
    WorkerFixture.await(Duration.ofMillis(800), () -> f.redis.llen(f.key(job.id() + ":logs")) == 100,
        () -> "a batch of 100 lines written at once");
    release.countDown();
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void keepLogsKeepsTheNewestLines(WorkerKind kind) {
    Job job = f.add("chatty", Map.of(), JobOptions.builder().keepLogs(10).build());
    f.worker(kind, j -> {
      for (String line : lines("k", 150)) {
        j.log(line);
      }
      return null;
    });
    WorkerFixture.await(() -> f.redis.zscore(f.key("completed"), job.id()) != null, "completed");
    assertEquals(lines("k", 150).subList(140, 150), f.queue.getJobLogs(job.id()).lines());
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void gracefulCloseWaitsForTheJobAndKeepsEveryLine(WorkerKind kind) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Job job = f.add("chatty", Map.of());
    AbstractWorker<?> worker = f.worker(kind, j -> {
      j.log("first");
      started.countDown();
      Thread.sleep(300);
      j.log("last");
      return null;
    });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    worker.close();
    assertEquals(List.of("first", "last"), f.queue.getJobLogs(job.id()).lines());
    assertTrue(f.redis.zscore(f.key("completed"), job.id()) != null);
  }

  @ParameterizedTest
  @EnumSource(WorkerKind.class)
  void forcedCloseStillWritesTheBufferedLines(WorkerKind kind) throws Exception {
    CountDownLatch logged = new CountDownLatch(1);
    Job job = f.add("chatty", Map.of());
    AbstractWorker<?> worker = f.worker(kind, j -> {
      j.log("before close");
      logged.countDown();
      Thread.sleep(5_000);
      return null;
    });
    assertTrue(logged.await(10, TimeUnit.SECONDS));
    worker.close(true);
    assertEquals(List.of("before close"), f.queue.getJobLogs(job.id()).lines());
  }
}
