package io.bullpen.examples;

import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.event.QueueEvent;
import io.bullpen.redis.JobScheduler;
import io.bullpen.redis.JobSchedulers;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueEvents;
import io.bullpen.redis.QueueEventsOptions;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.QueueSchedulers;
import io.bullpen.redis.RedisConfig;
import io.bullpen.scheduler.QueueScheduler;
import io.bullpen.scheduler.QueueSchedulerOptions;
import io.bullpen.scheduler.Repeat;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The scheduling guide: two job schedulers (a cron pattern in a time zone, a fixed interval) and a timer on one
 * queue, read back, triggered, removed and cancelled; then a stand-alone {@link QueueScheduler}, with no worker
 * anywhere, moves a timer to wait when it comes due. Prints, for instance:
 *
 * <pre>
 * first runs: repeat:nightly-report:1796347800000, repeat:sync:1796340630000
 * sync: next run at 2026-12-03T23:30:30Z, 1 run(s) created
 * nightly-report: next run at 2026-12-04T01:30:00Z, 1 run(s) created
 * triggered sync: job 3, WAITING
 * removed sync: true; schedulers left: 1
 * timer 4 cancelled: true; it exists: false
 * timer 5 due in 200 ms: moved to wait by the queue scheduler
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.SchedulersExample}.
 */
public final class SchedulersExample {
  /** The data of the nightly report's runs. */
  public record ReportRequest(String period) {}

  private SchedulersExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "reports", System.out);
    }
  }

  /** Schedules, reads and cancels on queue {@code queueName}, then lets a stand-alone scheduler run a timer. */
  public static void run(String redisUri, String queueName, PrintStream out) throws InterruptedException {
    RedisConfig redis = RedisConfig.of(redisUri);
    try (Queue queue = new Queue(queueName, QueueOptions.of(redis))) {
      schedule(queue, out);
      // region standalone
      try (QueueScheduler scheduler = QueueSchedulers.start(redis,
          QueueSchedulerOptions.builder().stalledInterval(Duration.ofSeconds(30)).build(), queueName)) {
        remindSoon(redis, queue, out);   // a timer due in 200 ms goes to wait on time, with no worker running
      }
      // endregion
    }
  }

  /** Two job schedulers and a timer, each read back. */
  static void schedule(Queue queue, PrintStream out) {
    // region schedulers
    // A cron pattern (6 fields with seconds, or 5), read in a time zone: 02:30 Berlin time every day.
    // Daylight saving neither skips nor doubles it: on the day clocks jump past 02:30 it runs at 03:30.
    // region upsert
    JobSchedulers schedulers = queue.schedulers();
    Job nightly = schedulers.upsert("nightly-report",
        Repeat.cron("0 30 2 * * *").tz("Europe/Berlin").build(),
        JobSpec.of("report", new ReportRequest("daily"), JobOptions.builder().attempts(3).build()));

    // A fixed interval: every 5 minutes, at :00:30, :05:30, ..., 100 runs at most.
    Job sync = schedulers.upsert("sync",
        Repeat.every(Duration.ofMinutes(5)).offset(Duration.ofSeconds(30)).limit(100).build(),
        JobSpec.of("sync", Map.of("source", "crm")));
    // endregion
    out.println("first runs: " + nightly.id() + ", " + sync.id());   // repeat:<id>:<run time in ms>

    for (JobScheduler s : schedulers.list()) {   // definitions, next run, run count; soonest first
      out.println(s.id() + ": next run at " + s.next() + ", " + s.iterationCount() + " run(s) created");
    }
    Job extra = schedulers.trigger("sync").orElseThrow();   // one extra run now; the schedule is unchanged
    out.println("triggered sync: job " + extra.id() + ", " + extra.state());
    boolean removed = schedulers.remove("sync");            // its pending run goes too
    out.println("removed sync: " + removed + "; schedulers left: " + schedulers.count());

    // One-off timers
    // region timers
    Job reminder = schedulers.scheduleAt("remind", Map.of("user", 42), Instant.now().plus(Duration.ofDays(1)),
        null);
    boolean cancelled = schedulers.cancelDelayed(reminder.id());   // true while it has not come due
    // endregion
    out.println("timer " + reminder.id() + " cancelled: " + cancelled + "; it exists: "
        + queue.getJob(reminder.id()).isPresent());
    // endregion
  }

  /** Adds a timer due in 200 ms and waits until something (the queue scheduler) moves it to wait. */
  static void remindSoon(RedisConfig redis, Queue queue, PrintStream out) throws InterruptedException {
    try (QueueEvents events = new QueueEvents(queue.name(), QueueEventsOptions.builder().redis(redis).build())) {
      CountDownLatch waiting = new CountDownLatch(1);
      events.on(QueueEvent.Waiting.class, e -> waiting.countDown());
      Job timer = queue.schedulers().scheduleAt("remind", Map.of("user", 7), Instant.now().plusMillis(200), null);
      if (!waiting.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timer " + timer.id() + " was not moved to wait within 10 s");
      }
      out.println("timer " + timer.id() + " due in 200 ms: moved to wait by the queue scheduler");
    }
  }
}
