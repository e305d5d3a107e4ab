package io.bullpen.examples;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Blocking or async (the README): the {@code …Async} form of a call returns a {@link CompletableFuture} that
 * completes with what the blocking form returns, or fails with the exception it throws; a bad argument throws at
 * once in both forms. No worker runs. Prints, the first three lines in any order:
 *
 * <pre>
 * rejected at once: InvalidOptionException
 * job 1 is WAITING
 * promote failed: JobNotFoundException
 * recorded counts: 1 waiting
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.AsyncExample}.
 */
public final class AsyncExample {
  /** A job's data. */
  public record Thumbnail(String image, int width) {}

  /** A stand-in for a metrics client: it keeps what it was given. */
  static final class Metrics {
    private final List<Map<JobState, Long>> recorded = new ArrayList<>();

    synchronized void record(Map<JobState, Long> counts) {
      recorded.add(counts);
    }

    synchronized List<Map<JobState, Long>> recorded() {
      return List.copyOf(recorded);
    }
  }

  private AsyncExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "thumbnails", System.out);
    }
  }

  /** Adds job 1 to queue {@code queueName} and reads the queue, all without blocking; returns what was recorded. */
  public static List<Map<JobState, Long>> run(String redisUri, String queueName, PrintStream out) {
    Metrics metrics = new Metrics();
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redisUri)))) {
      // region async
      CompletableFuture<Job> added = queue.addAsync("render", new Thumbnail("dog.jpg", 100));
      CompletableFuture<Void> recorded = added
          .thenCompose(job -> job.stateAsync().thenAccept(state -> out.println("job " + job.id() + " is " + state)))
          .thenCompose(nothing -> queue.getJobCountsAsync())
          .thenAccept(counts -> metrics.record(counts));

      // The future fails with the exception the blocking call throws ...
      CompletableFuture<Void> promoted = queue.promoteAsync("no-such-job")
          .exceptionally(error -> {
            out.println("promote failed: " + error.getClass().getSimpleName());   // JobNotFoundException
            return null;
          });
      // ... and a bad argument throws at once, before anything reaches Redis
      try {
        queue.addAsync(null, new Thumbnail("cat.jpg", 100));
      } catch (InvalidOptionException e) {
        out.println("rejected at once: " + e.getClass().getSimpleName());   // a job name is required
      }
      // endregion
      recorded.join();
      out.println("recorded counts: " + metrics.recorded().get(0).get(JobState.WAITING) + " waiting");
      promoted.join();
    }
    return metrics.recorded();
  }
}
