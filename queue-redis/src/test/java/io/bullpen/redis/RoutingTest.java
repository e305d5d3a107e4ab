package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobRouter;
import io.bullpen.JobState;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Handlers per job name, and capabilities that decide which worker may take a job. */
@RedisTest
class RoutingTest {
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
  void eachJobGoesToTheHandlerOfItsNameAndAnUnknownNameFailsClearly() {
    JobRouter router = JobRouter.builder()
        .handle("resize", job -> "resized " + job.data(Map.class).get("w"))
        .handle("crop", job -> "cropped")
        .build();
    assertEquals(Set.of("crop", "resize"), router.names());
    Job resize = f.add("resize", Map.of("w", 200));
    Job crop = f.add("crop", Map.of());
    Job unknown = f.add("rotate", Map.of(), JobOptions.builder().attempts(3).build());
    f.worker(router);
    WorkerFixture.await(() -> f.queue.getJobState(unknown.id()) == JobState.FAILED
        && f.queue.getJobState(crop.id()) == JobState.COMPLETED, "jobs settled");
    assertEquals("\"resized 200\"", f.hash(resize.id()).get("returnvalue"));
    assertEquals("\"cropped\"", f.hash(crop.id()).get("returnvalue"));
    Map<String, String> failed = f.hash(unknown.id());
    assertEquals("no handler for job name \"rotate\" (job " + unknown.id() + "); this worker handles [crop, resize]",
        failed.get("failedReason"));
    assertEquals("1", failed.get("atm"), "not retried: no attempt would find a handler");
    assertThrows(InvalidOptionException.class, () -> JobRouter.builder().handle("a", j -> 1).handle("a", j -> 2));
    assertThrows(InvalidOptionException.class, () -> JobRouter.builder().build());
  }

  @Test
  void jobsNeedingACapabilityWaitForAWorkerThatHasIt() throws Exception {
    Set<String> takenByPlain = ConcurrentHashMap.newKeySet();
    Job gpuJob = f.add("train", Map.of(), JobOptions.builder().requiredCapability("gpu").build());
    Job plainJob = f.add("email", Map.of());
    assertEquals(List.of(plainJob.id()), f.redis.lrange(f.key("wait"), 0, -1), "the gpu job is not in wait");
    f.worker(job -> takenByPlain.add(job.name()), f.options().name("cpu-box").drainDelay(Duration.ofMillis(100)));
    WorkerFixture.await(() -> f.queue.getJobState(plainJob.id()) == JobState.COMPLETED, "plain job done");
    Thread.sleep(500);
    assertEquals(Set.of("email"), takenByPlain);
    assertEquals(JobState.WAITING, f.queue.getJobState(gpuJob.id()), "left for a capable worker");

    f.worker(job -> "trained", f.options().name("gpu-box").capabilities("gpu").drainDelay(Duration.ofMillis(100)));
    WorkerFixture.await(() -> f.queue.getJobState(gpuJob.id()) == JobState.COMPLETED, "gpu job done");
    assertEquals("gpu-box", f.hash(gpuJob.id()).get("pb"), "the worker name is written without its capabilities");

    Job retried = f.add("train", Map.of(), JobOptions.builder().requiredCapability("gpu").build());
    WorkerFixture.await(() -> f.queue.getJobState(retried.id()) == JobState.COMPLETED, "next gpu job done");
    assertTrue(!takenByPlain.contains("train"));
  }

  @Test
  void aRoutedJobPutBackInWaitByAnotherScriptIsRedirectedToItsList() {
    Job job = f.add("train", Map.of(), JobOptions.builder().requiredCapability("gpu").build());
    // As a stalled job or a Node promotion would leave it.
    f.redis.lrem(f.key("bp:cap:gpu:wait"), 0, job.id());
    f.redis.rpush(f.key("wait"), job.id());
    Set<String> plain = ConcurrentHashMap.newKeySet();
    f.worker(j -> plain.add(j.id()), f.options().drainDelay(Duration.ofMillis(100)));
    WorkerFixture.await(() -> f.redis.llen(f.key("bp:cap:gpu:wait")) == 1, "redirected");
    assertTrue(plain.isEmpty());
    f.worker(j -> "ok", f.options().capabilities("gpu").drainDelay(Duration.ofMillis(100)));
    WorkerFixture.await(() -> f.queue.getJobState(job.id()) == JobState.COMPLETED, "done by the gpu worker");
  }
}
