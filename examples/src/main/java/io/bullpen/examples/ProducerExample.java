package io.bullpen.examples;

import io.bullpen.Backoff;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RawJson;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The queue guide: a {@link Queue} with default job options adds jobs one by one, as raw JSON with a priority and a
 * delay, and in bulk; no worker runs, so they stay where they were put. Prints:
 *
 * <pre>
 * added job 1 (welcome): {"to":"ann@example.com"}
 * added 2 jobs in one call: [3, 4]
 * waiting 3, prioritized 0, delayed 1
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.ProducerExample}.
 */
public final class ProducerExample {
  /** A job's data. */
  public record Welcome(String to) {}

  private ProducerExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "mail", System.out);
    }
  }

  /** Adds four jobs to queue {@code queueName} and prints where they are. */
  public static void run(String redisUri, String queueName, PrintStream out) {
    // region queue
    QueueOptions options = QueueOptions.builder()
        .redis(RedisConfig.of(redisUri))                            // e.g. "redis://127.0.0.1:6379"
        .prefix("bull")                                             // default
        .defaultJobOptions(JobOptions.builder().attempts(3).backoff(Backoff.exponential(1000)).build())
        .maxLenEvents(10_000)                                       // events stream cap, default
        .build();

    try (Queue queue = new Queue(queueName, options)) {             // one Redis connection; close() closes it
      Job job = queue.add("welcome", new Welcome("ann@example.com"));              // data through Jackson
      queue.add("digest", RawJson.of("{\"day\":\"mon\"}"),                         // JSON text as is
          JobOptions.builder().priority(5).delay(Duration.ofMinutes(10)).build());
      List<Job> jobs = queue.addBulk(List.of(                                      // atomic per 1,000 jobs
          JobSpec.of("welcome", new Welcome("bob@example.com")),
          JobSpec.of("welcome", new Welcome("cy@example.com"), JobOptions.builder().lifo(true).build())));
      report(queue, job, jobs, out);                                               // prints what was added
    }
    // endregion
  }

  /** Prints what was added and where the jobs are. */
  static void report(Queue queue, Job job, List<Job> bulk, PrintStream out) {
    out.println("added job " + job.id() + " (" + job.name() + "): " + job.dataJson());
    out.println("added " + bulk.size() + " jobs in one call: " + bulk.stream().map(Job::id).toList());
    Map<JobState, Long> counts = queue.getJobCounts(JobState.WAITING, JobState.PRIORITIZED, JobState.DELAYED);
    out.println("waiting " + counts.get(JobState.WAITING) + ", prioritized " + counts.get(JobState.PRIORITIZED)
        + ", delayed " + counts.get(JobState.DELAYED));
  }
}
