package io.bullpen.examples;

import io.bullpen.Backoff;
import io.bullpen.JobOptions;
import io.bullpen.Processor;
import io.bullpen.UnrecoverableError;
import io.bullpen.event.QueueEvent;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueEvents;
import io.bullpen.redis.QueueEventsOptions;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README's quickstart: a producer adds two thumbnail jobs, a worker renders them, and a {@link QueueEvents}
 * prints how each one ended:
 *
 * <pre>
 * job 1 completed: {"thumbnail":"thumbs/cat.jpg","width":200}
 * job 2 failed: width must be positive, was 0
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java}.
 */
public final class QuickstartExample {
  // region records
  /** What a job asks for: its data, stored as JSON (through Jackson). */
  public record Thumbnail(String image, int width) {}

  /** What a job returns: its result, stored as JSON in the job's {@code returnvalue}. */
  public record Rendered(String thumbnail, int width) {}
  // endregion

  private QuickstartExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "thumbnails", System.out);
    }
  }

  /** Adds, runs and reports the two jobs on queue {@code queueName}; returns once both have finished. */
  public static void run(String redisUri, String queueName, PrintStream out) throws InterruptedException {
    // region quickstart
    RedisConfig redis = RedisConfig.of(redisUri);   // e.g. "redis://127.0.0.1:6379"
    CountDownLatch finished = new CountDownLatch(2);

    // Events, from any process. Open them first: a QueueEvents hears what happens after it started.
    try (QueueEvents events = new QueueEvents(queueName, QueueEventsOptions.builder().redis(redis).build())) {
      events.on(QueueEvent.Completed.class, e -> {
        out.println("job " + e.job() + " completed: " + e.returnValueJson());
        finished.countDown();
      });
      events.on(QueueEvent.Failed.class, e -> {
        out.println("job " + e.job() + " failed: " + e.failedReason());
        finished.countDown();
      });

      // Worker: runs up to 8 jobs at once; the returned value becomes the job's result
      Processor render = job -> {
        Thumbnail t = job.data(Thumbnail.class);
        if (t.width() <= 0) {
          throw new UnrecoverableError("width must be positive, was " + t.width());   // fails, not retried
        }
        job.updateProgress(50);
        return new Rendered("thumbs/" + t.image(), t.width());
      };
      try (Worker worker = new Worker(queueName, render,
              WorkerOptions.builder().redis(redis).concurrency(8).build());
          Queue queue = new Queue(queueName, QueueOptions.of(redis))) {

        // Producer: any other exception is retried, 3 attempts in all, 1 s and then 2 s apart
        JobOptions retried = JobOptions.builder().attempts(3).backoff(Backoff.exponential(1000)).build();
        queue.add("render", new Thumbnail("cat.jpg", 200), retried);
        queue.add("render", new Thumbnail("dog.jpg", 0), retried);

        if (!finished.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the jobs did not finish within 30 s");
        }
      }   // closing a worker waits for its jobs in flight (up to closeTimeout); close(true) does not wait
    }
    // endregion
  }
}
