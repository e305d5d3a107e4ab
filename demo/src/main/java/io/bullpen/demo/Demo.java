package io.bullpen.demo;

import io.bullpen.Backoff;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.Processor;
import io.bullpen.UnrecoverableError;
import io.bullpen.console.LiveScreen;
import io.bullpen.console.ProgressLine;
import io.bullpen.console.StateCounts;
import io.bullpen.event.QueueEvent;
import io.bullpen.JobSpec;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueEvents;
import io.bullpen.redis.QueueEventsOptions;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A producer, a worker and an event listener on one queue: while jobs flow, a live display (the {@code bullpen}
 * CLI's, from queue-console) shows a progress bar of jobs done, the rate and the counts per state,
 * redrawn in place on a terminal (a frame a second in a log); a summary closes the run. Uses {@code REDIS_URL} when set, else starts an embedded Redis and stops it at the end.
 *
 * <p>Usage: {@code Demo [jobs]} (default 120).
 */
public final class Demo {
  /** What a job asks for; serialised to the job's data with Jackson. */
  public record Thumbnail(String image, int width, boolean corrupt) {}

  /** What a job returns; stored as the job's return value. */
  public record Rendered(String image, int width, long bytes) {}

  private Demo() {}

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 120;
    try (RunningRedis redis = RedisLauncher.start()) {
      System.out.printf("Redis: %s (%s)%n", redis.uri(), redis.source());
      run(RedisConfig.of(redis.uri()), jobs);
    }
  }

  /**
   * One frame of the live display: the CLI's progress bar of jobs done, the counts per state as Redis has them, and
   * what the run has seen (retries, the last failure).
   */
  static List<String> frame(int done, int total, long elapsedNanos, Map<JobState, Long> counts, int retried,
      String lastFailure) {
    return List.of(ProgressLine.render("jobs", done, total, elapsedNanos),
        "  " + StateCounts.render(counts) + " · retried " + retried,
        "  last failure: " + lastFailure);
  }

  static void run(RedisConfig redis, int jobs) throws InterruptedException {
    String queueName = "bullpen-demo-" + UUID.randomUUID().toString().substring(0, 8);
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger retried = new AtomicInteger();
    AtomicReference<String> lastFailure = new AtomicReference<>("-");
    CountDownLatch allDone = new CountDownLatch(jobs);

    Processor render = job -> {
      Thumbnail request = job.data(Thumbnail.class);
      if (request.corrupt()) {
        throw new UnrecoverableError("image " + request.image() + " is corrupt");
      }
      if (job.attemptsMade() == 0 && request.width() % 7 == 0) {
        retried.incrementAndGet();
        throw new IllegalStateException("storage timeout on first try");
      }
      Thread.sleep(ThreadLocalRandom.current().nextInt(10, 60));
      job.updateProgress(50);
      Thread.sleep(ThreadLocalRandom.current().nextInt(10, 60));
      job.updateProgress(100);
      return new Rendered(request.image(), request.width(), request.width() * 97L);
    };

    long start = System.nanoTime();
    try (Queue queue = new Queue(queueName, QueueOptions.builder().redis(redis)
            .defaultJobOptions(JobOptions.builder().attempts(3).backoff(Backoff.exponential(100)).build())
            .build());
        QueueEvents events = new QueueEvents(queueName, QueueEventsOptions.builder().redis(redis).build());
        Worker worker = new Worker(queueName, render,
            WorkerOptions.builder().redis(redis).concurrency(8).name("demo-worker").build())) {

      events.on(QueueEvent.Completed.class, e -> {
        completed.incrementAndGet();
        finished.incrementAndGet();
        allDone.countDown();
      });
      events.on(QueueEvent.Failed.class, e -> {
        failed.incrementAndGet();
        finished.incrementAndGet();
        lastFailure.set("job " + e.job() + ": " + e.failedReason());
        allDone.countDown();
      });

      List<JobSpec> batch = new ArrayList<>();
      for (int i = 1; i <= jobs; i++) {
        boolean corrupt = i % 25 == 0;
        JobOptions.Builder opts = JobOptions.builder();
        if (i % 10 == 0) {
          opts.priority(1);
        }
        if (i % 15 == 0) {
          opts.delay(300);
        }
        batch.add(JobSpec.of("thumbnail", new Thumbnail("photo-" + i + ".jpg", 40 + i, corrupt), opts.build()));
      }
      queue.addBulk(batch);
      System.out.printf("Added %d jobs to queue %s in one call; worker runs 8 at a time%n", jobs, queueName);

      boolean terminal = LiveScreen.isTerminal();
      PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      long lastPlain = 0;
      try (LiveScreen screen = new LiveScreen(out, terminal)) {
        boolean done = false;
        while (!done) {
          // A terminal gets five frames a second, in place; a log one line pair a second.
          done = allDone.await(terminal ? 200 : 1000, TimeUnit.MILLISECONDS) || System.nanoTime() > deadline;
          long now = System.nanoTime();
          if (terminal || done || now - lastPlain >= 1_000_000_000L) {
            lastPlain = now;
            screen.show(frame(finished.get(), jobs, now - start, queue.getJobCounts(), retried.get(),
                lastFailure.get()));
          }
        }
      }
      if (allDone.getCount() > 0) {
        System.out.println("Timed out waiting for the jobs to finish");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<JobState, Long> counts = queue.getJobCounts();
      System.out.println();
      System.out.println("Summary");
      System.out.printf("  jobs:       %d in %.2f s (%.0f jobs/s)%n", jobs, seconds, jobs / seconds);
      System.out.printf("  completed:  %d%n", completed.get());
      System.out.printf("  failed:     %d (corrupt images, not retried)%n", failed.get());
      System.out.printf("  retried:    %d (failed once, then succeeded)%n", retried.get());
      System.out.printf("  in Redis:   %s%n", counts);
      Job sample = queue.getJob(queue.getJobs(java.util.Set.of(JobState.COMPLETED), 0, 0, true).get(0).id())
          .orElseThrow();
      System.out.printf("  a job:      id=%s attempts=%d returnvalue=%s%n", sample.id(), sample.attemptsMade(),
          sample.returnValueJson().orElse("-"));
      queue.obliterate(true);
    }
  }
}
