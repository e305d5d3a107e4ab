package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class QueueAddAsyncTest {
  private WorkerFixture f;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void manyAddsInFlightAreEachStoredNumberedAndAnnouncedAsIfAddedAlone() {
    List<CompletableFuture<Job>> adds = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      adds.add(f.queue.addAsync("job", Map.of("i", i), i % 3 == 0 ? JobOptions.builder().priority(2).build() : null));
    }
    List<Job> jobs = adds.stream().map(CompletableFuture::join).toList();
    for (int i = 0; i < jobs.size(); i++) {
      assertEquals(Integer.toString(i + 1), jobs.get(i).id(), "ids follow the order of the calls");
      assertEquals(Map.of("i", i), f.queue.getJob(jobs.get(i).id()).orElseThrow().data(Map.class));
    }
    assertEquals(200, f.redis.llen(f.key("wait")));
    assertEquals(100, f.redis.zcard(f.key("prioritized")));
    assertEquals("2", f.redis.lindex(f.key("wait"), -1), "the oldest job is next");
    assertEquals(List.of("added", "waiting"), f.eventNamesOf("150"));
    assertEquals("300", f.redis.get(f.key("id")));
  }

  @Test
  void concurrentBlockingAddsFromManyThreadsAllLand() throws Exception {
    int threads = 16;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * 50;
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 50; i++) {
          f.queue.add("job", Map.of("n", base + i));
        }
      });
      thread.start();
      started.add(thread);
    }
    go.countDown();
    for (Thread thread : started) {
      thread.join(30_000);
    }
    assertEquals(threads * 50, f.redis.llen(f.key("wait")));
    assertEquals(Long.toString(threads * 50), f.redis.get(f.key("id")));
  }

  @Test
  void anInvalidAddIsRefusedAtOnceAndADuplicateIdReturnsTheExistingJob() {
    assertThrows(InvalidOptionException.class, () -> f.queue.addAsync(null, Map.of(), null));
    Job first = f.queue.addAsync("a", Map.of("v", 1), JobOptions.builder().jobId("fixed").build()).join();
    Job again = f.queue.addAsync("b", Map.of("v", 2), JobOptions.builder().jobId("fixed").build()).join();
    assertEquals("fixed", again.id());
    assertEquals("a", again.name());
    assertEquals(first.id(), again.id());
    assertTrue(f.eventNamesOf("fixed").contains("duplicated"));
  }
}
