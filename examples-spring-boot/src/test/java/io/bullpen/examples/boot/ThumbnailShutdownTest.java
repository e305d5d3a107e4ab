package io.bullpen.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.examples.boot.Thumbnails.Request;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stopping the application while jobs run loses none and strands none: the jobs that were running complete, the
 * rest stay in wait for the next worker.
 */
@RedisTest
class ThumbnailShutdownTest {
  @Test
  void closingTheContextFinishesActiveJobsAndLeavesTheRestWaiting(RunningRedis redis) throws Exception {
    String prefix = "boot-stop-" + UUID.randomUUID();
    ConfigurableApplicationContext context = new SpringApplicationBuilder(ThumbnailApplication.class)
        .run("--server.port=0", "--bullpen.redis.uri=" + redis.uri(), "--bullpen.prefix=" + prefix,
            "--thumbnails.render-time=400ms", "--bullpen.worker.close-timeout=30s");
    try (Queue observer = new Queue("thumbnails",
        QueueOptions.builder().redis(RedisConfig.of(redis.uri())).prefix(prefix).build())) {
      Http http = new Http(context.getEnvironment().getProperty("local.server.port", Integer.class));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        ids.add(http.post("/thumbnails", new Request("dog" + i + ".png", 64)).body().get("id").asText());
      }
      Map<JobState, Long> busy = Http.until(Duration.ofSeconds(30), "four jobs active",
          () -> observer.getJobCounts(JobState.ACTIVE), counts -> counts.get(JobState.ACTIVE) == 4);
      Set<String> activeAtStop = observer.getJobs(EnumSet.of(JobState.ACTIVE), 0, -1, true).stream()
          .map(Job::id).collect(Collectors.toSet());
      assertEquals(4L, busy.get(JobState.ACTIVE));

      context.close();

      Map<JobState, Long> counts = observer.getJobCounts(JobState.WAITING, JobState.ACTIVE, JobState.COMPLETED,
          JobState.FAILED, JobState.DELAYED);
      assertEquals(0L, counts.get(JobState.ACTIVE), "nothing stranded in active: " + counts);
      for (String id : ids) {
        JobState state = observer.getJobState(id);
        assertTrue(state == JobState.COMPLETED || state == JobState.WAITING, "job " + id + " is " + state);
      }
      for (String id : activeAtStop) {
        assertEquals(JobState.COMPLETED, observer.getJobState(id), "job " + id + " was running at the stop");
      }
      assertEquals(ids.size(), counts.get(JobState.COMPLETED) + counts.get(JobState.WAITING), counts.toString());
      assertTrue(counts.get(JobState.WAITING) > 0, "the stop came before the queue ran dry: " + counts);
    } finally {
      context.close();
    }
  }
}
