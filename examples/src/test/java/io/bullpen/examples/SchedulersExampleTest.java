package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.redis.JobScheduler;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@RedisTest
class SchedulersExampleTest {
  @Test
  void schedulersTimersAndAStandAloneSchedulerLeaveWhatTheGuideSays(RunningRedis redis) throws Exception {
    String queueName = Printed.uniqueQueueName("schedulers");
    Printed printed = new Printed();
    Instant started = Instant.now();

    SchedulersExample.run(redis.uri(), queueName, printed.stream());

    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      List<JobScheduler> left = queue.schedulers().list();
      assertEquals(List.of("nightly-report"), left.stream().map(JobScheduler::id).toList());
      JobScheduler nightly = left.get(0);
      assertEquals("0 30 2 * * *", nightly.pattern().orElseThrow());
      assertEquals("Europe/Berlin", nightly.tz().orElseThrow());
      assertEquals("report", nightly.name());
      assertEquals(new SchedulersExample.ReportRequest("daily"), nightly.data(SchedulersExample.ReportRequest.class));
      assertEquals(3, nightly.templateOptions().attempts());
      LocalTime berlin = nightly.next().atZone(ZoneId.of("Europe/Berlin")).toLocalTime();
      assertTrue(berlin.equals(LocalTime.of(2, 30)) || berlin.equals(LocalTime.of(3, 30)), "runs at " + berlin);
      assertTrue(nightly.next().isAfter(started) && nightly.next().isBefore(started.plus(25, ChronoUnit.HOURS)),
          "the next 02:30 in Berlin: " + nightly.next());

      List<String> lines = printed.lines();
      assertEquals(7, lines.size(), "printed: " + lines);
      String syncRun = lines.get(0).replaceFirst("^first runs: repeat:nightly-report:\\d+, ", "");
      assertEquals("first runs: " + nightly.nextJobId() + ", " + syncRun, lines.get(0));
      long syncAt = Long.parseLong(syncRun.replaceFirst("^repeat:sync:", ""));
      assertEquals(30_000, syncAt % 300_000, "every 5 minutes at :00:30, :05:30, ...: " + syncRun);
      assertTrue(syncAt > started.toEpochMilli() && syncAt <= Instant.now().toEpochMilli() + 300_000, syncRun);
      assertEquals(List.of(
          "sync: next run at " + Instant.ofEpochMilli(syncAt) + ", 1 run(s) created",
          "nightly-report: next run at " + nightly.next() + ", 1 run(s) created"),
          syncAt < nightly.next().toEpochMilli() ? lines.subList(1, 3) : List.of(lines.get(2), lines.get(1)));
      assertEquals(List.of(
          "triggered sync: job 3, WAITING",
          "removed sync: true; schedulers left: 1",
          "timer 4 cancelled: true; it exists: false",
          "timer 5 due in 200 ms: moved to wait by the queue scheduler"), lines.subList(3, 7));

      assertEquals(JobState.DELAYED, queue.getJobState(nightly.nextJobId()));
      assertTrue(queue.getJob("repeat:sync:" + syncAt).isEmpty(), "removing sync removed its pending run");
      // Each upsert takes a number of the queue's id counter too, as BullMQ's does: the jobs added next are 3, 4, 5.
      Job triggered = queue.getJob("3").orElseThrow();
      assertEquals("sync", triggered.name());
      assertEquals("{\"source\":\"crm\"}", triggered.dataJson());
      assertTrue(queue.getJob("4").isEmpty(), "the cancelled timer is gone");
      Job timer = queue.getJob("5").orElseThrow();
      assertEquals(JobState.WAITING, timer.state());
      assertEquals(Map.of("user", 7), timer.data(Map.class));
      assertEquals(Set.of("3", "5"),
          Set.copyOf(queue.getJobs(Set.of(JobState.WAITING), 0, -1, true).stream().map(Job::id).toList()));
      assertEquals(Map.of(JobState.WAITING, 2L, JobState.DELAYED, 1L),
          queue.getJobCounts(JobState.WAITING, JobState.DELAYED));
    }
  }
}
