package io.bullpen.examples;

import io.bullpen.DependencyPage;
import io.bullpen.Job;
import io.bullpen.JobDependencies;
import io.bullpen.JobOptions;
import io.bullpen.Processor;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The flows guide's children added from a running job: a word count whose processor splits its document into
 * chunks, adds one child job per chunk, waits in {@code waiting-children}, and sums the children's counts when
 * it runs again. Prints {@code document counted: 11 words}.
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.ChildJobsExample}.
 */
public final class ChildJobsExample {
  /** The parent job's data: a text of several lines. */
  public record Document(List<String> lines) {}

  /** A child job's data: one line of the document. */
  public record Chunk(String text) {}

  private ChildJobsExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "documents", "chunks", System.out);
    }
  }

  /** Counts a three-line document with one child job per line; returns the total. */
  public static long run(String redisUri, String documents, String chunkQueue, PrintStream out) throws Exception {
    RedisConfig redis = RedisConfig.of(redisUri);
    WorkerOptions workerOptions = WorkerOptions.builder().redis(redis).build();
    try (Queue chunks = new Queue(chunkQueue, QueueOptions.of(redis));
        Queue queue = new Queue(documents, QueueOptions.of(redis));
        QueueEvents events = new QueueEvents(documents, QueueEventsOptions.builder().redis(redis).build())) {
      // region boss
      Processor boss = job -> {
        if (job.getDependenciesCount().total() == 0) {
          for (Chunk chunk : split(job)) {
            chunks.add("chunk", chunk, JobOptions.builder().parent(job).build());
          }
          if (job.moveToWaitingChildren()) {
            return null;        // the job now waits in waiting-children; the worker leaves it there
          }
        }
        return merge(job);      // runs again once every chunk has finished
      };
      // endregion
      Processor countWords = job -> job.data(Chunk.class).text().split("\\s+").length;
      try (Worker documentWorker = new Worker(documents, boss, workerOptions);
          Worker chunkWorker = new Worker(chunkQueue, countWords, workerOptions)) {
        Job document = queue.add("count", new Document(List.of(
            "It was a bright cold day",
            "in April,",
            "and the clocks")));
        long words = Long.parseLong(events.waitUntilFinished(document.id(), Duration.ofSeconds(30)).get());
        out.println("document counted: " + words + " words");
        return words;
      }
    }
  }

  /** One chunk per line of the job's document. */
  static List<Chunk> split(Job job) {
    List<Chunk> chunks = new ArrayList<>();
    for (String line : job.data(Document.class).lines()) {
      chunks.add(new Chunk(line));
    }
    return chunks;
  }

  /** Sums what the children returned, reading them a page at a time as a parent with many children would. */
  static long merge(Job job) {
    long words = 0;
    // region paging
    for (DependencyPage page = DependencyPage.firstOfEach(100); page != null; ) {
      JobDependencies part = job.getDependencies(page);
      for (String json : part.processed().values()) {   // child key -> its result as JSON
        words += Long.parseLong(json);
      }
      page = part.nextPage().orElse(null);
    }
    // endregion
    return words;
  }
}
