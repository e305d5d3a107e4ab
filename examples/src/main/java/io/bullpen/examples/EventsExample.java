package io.bullpen.examples;

import io.bullpen.JobFailedException;
import io.bullpen.JobOptions;
import io.bullpen.Processor;
import io.bullpen.UnrecoverableError;
import io.bullpen.event.QueueEvent;
import io.bullpen.event.Subscription;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The events guide: a {@link QueueEvents} with typed listeners and a per-job listener, and
 * {@code waitUntilFinished} for one job that completes and one that fails. Prints:
 *
 * <pre>
 * job weekly-report at 50
 * job weekly-report returned {"id":"weekly-report","pages":3}
 * weekly-report finished: {"id":"weekly-report","pages":3}
 * job broken-report failed: a report needs pages, got 0
 * broken-report failed: a report needs pages, got 0
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.EventsExample}.
 */
public final class EventsExample {
  /** A job's data (its id and how many pages to write), returned as its result too. */
  public record Report(String id, int pages) {}

  private EventsExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "reports", System.out);
    }
  }

  /** Listens to queue {@code queueName} while two jobs run there; returns once both have finished. */
  public static void run(String redisUri, String queueName, PrintStream out) throws InterruptedException {
    // region listen
    QueueEventsOptions options = QueueEventsOptions.builder()
        .redis(RedisConfig.of(redisUri))
        .build();                       // prefix "bull", lastEventId "$", blockTimeout 10 s, autorun true

    try (QueueEvents events = new QueueEvents(queueName, options)) {
      events.on(QueueEvent.Completed.class, e -> out.println("job " + e.job() + " returned " + e.returnValueJson()));
      events.on(QueueEvent.Failed.class, e -> out.println("job " + e.job() + " failed: " + e.failedReason()));
      Subscription progress = events.onJob("weekly-report", e -> {
        if (e instanceof QueueEvent.Progress p) {
          out.println("job weekly-report at " + p.dataJson());
        }
      });
      addAndRun(redisUri, queueName, events, out);   // adds two jobs and runs them, see "Waiting for a job"
      progress.close();                 // removes that listener
    }
    // endregion
  }

  /**
   * Adds a job that completes and one that fails while a worker runs, and waits for each through {@code events}.
   * Each wait starts before its job is added, so each job's events reach the listeners above before its wait
   * returns.
   */
  static void addAndRun(String redisUri, String queueName, QueueEvents events, PrintStream out)
      throws InterruptedException {
    RedisConfig redis = RedisConfig.of(redisUri);
    Processor write = job -> {
      Report report = job.data(Report.class);
      if (report.pages() <= 0) {
        throw new UnrecoverableError("a report needs pages, got " + report.pages());
      }
      job.updateProgress(50);
      return report;
    };
    try (Queue queue = new Queue(queueName, QueueOptions.of(redis));
        Worker worker = new Worker(queueName, write, WorkerOptions.builder().redis(redis).build())) {
      for (Report report : List.of(new Report("weekly-report", 3), new Report("broken-report", 0))) {
        String jobId = report.id();
        // region wait
        CompletableFuture<String> result = events.waitUntilFinished(jobId, Duration.ofMinutes(5));
        queue.add("report", report, JobOptions.builder().jobId(jobId).build());   // before or after the wait
        try {
          String returnValueJson = result.get();
          out.println(jobId + " finished: " + returnValueJson);
        } catch (ExecutionException e) {
          // e.getCause(): JobFailedException (jobId(), queueName(), failedReason()),
          //               TimeoutException, or ClosedException if the QueueEvents was closed first
          if (e.getCause() instanceof JobFailedException failed) {
            out.println(failed.jobId() + " failed: " + failed.failedReason());
          } else {
            throw new IllegalStateException("no outcome for job " + jobId, e.getCause());
          }
        }
        // endregion
      }
    }
  }
}
