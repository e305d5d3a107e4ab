package io.bullpen.demo;

import io.bullpen.Backoff;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.Processor;
import io.bullpen.UnrecoverableError;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A producer, a worker and an event listener on one queue: jobs flow, progress is printed as they go, and a
 * summary closes the run. Uses {@code REDIS_URL} when set, else starts an embedded Redis and stops it at the end.
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

  static void run(RedisConfig redis, int jobs) throws InterruptedException {
    String queueName = "bullpen-demo-" + UUID.randomUUID().toString().substring(0, 8);
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger retried = new AtomicInteger();
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
        System.out.printf("[%3d/%d] job %-4s completed -> %s%n", finished.incrementAndGet(), jobs, e.job(),
            e.returnValueJson());
        allDone.countDown();
      });
      events.on(QueueEvent.Failed.class, e -> {
        failed.incrementAndGet();
        System.out.printf("[%3d/%d] job %-4s failed    -> %s%n", finished.incrementAndGet(), jobs, e.job(),
            e.failedReason());
        allDone.countDown();
      });
      events.on(QueueEvent.Progress.class, e -> {
        if ("50".equals(e.dataJson())) {
          System.out.printf("          job %-4s halfway%n", e.job());
        }
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

      if (!allDone.await(120, TimeUnit.SECONDS)) {
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
