package io.bullpen.examples;

import io.bullpen.BatchOptions;
import io.bullpen.BatchProcessor;
import io.bullpen.Job;
import io.bullpen.JobOutcome;
import io.bullpen.JobSpec;
import io.bullpen.UnrecoverableError;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.BatchWorker;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The batch worker guide: 200 rows are added as jobs, and a {@link BatchWorker} writes them to a database up to 50
 * at a time, one outcome per job; rows with a negative amount fail. Prints, for instance:
 *
 * <pre>
 * 190 rows inserted in 4 round trips; 10 rows failed
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.BatchWorkerExample}.
 */
public final class BatchWorkerExample {
  /** A job's data: one row to store. */
  public record Row(int id, long amount) {}

  /** A stand-in for a database table that takes many rows per round trip. */
  public static final class Database {
    private final List<List<Row>> inserts = new CopyOnWriteArrayList<>();

    /** One round trip storing all of {@code rows}. */
    public void insertAll(List<Row> rows) {
      inserts.add(List.copyOf(rows));
    }

    /** The rows of each {@link #insertAll} call, in call order. */
    public List<List<Row>> inserts() {
      return List.copyOf(inserts);
    }
  }

  /** What the run did. */
  public record Result(List<List<Row>> inserts, int failed) {}

  private BatchWorkerExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "rows", 200, System.out);
    }
  }

  /** Adds {@code rows} rows (every 20th with a negative amount) to queue {@code queueName} and stores them. */
  public static Result run(String redisUri, String queueName, int rows, PrintStream out)
      throws InterruptedException {
    RedisConfig redis = RedisConfig.of(redisUri);
    Database database = new Database();
    CountDownLatch finished = new CountDownLatch(rows);
    List<String> failures = new CopyOnWriteArrayList<>();
    // region batch
    BatchProcessor insert = jobs -> {
      List<JobOutcome> outcomes = new ArrayList<>();
      List<Row> valid = new ArrayList<>();
      for (Job job : jobs) {
        Row row = job.data(Row.class);
        if (row.amount() < 0) {
          outcomes.add(JobOutcome.failed(new UnrecoverableError("negative amount in row " + row.id())));
        } else {
          valid.add(row);
          outcomes.add(JobOutcome.completed(null));
        }
      }
      database.insertAll(valid);                  // one round trip to your database for the whole batch
      return outcomes;                            // one outcome per job, in order
    };
    BatchWorker worker = new BatchWorker(queueName, insert,
        WorkerOptions.builder().redis(redis).concurrency(2).build(),    // two batches in flight
        BatchOptions.of(50, Duration.ofMillis(20)));                     // up to 50 jobs, wait ≤ 20 ms to fill
    // endregion
    try (worker) {
      worker.addListener(new WorkerListener() {
        @Override
        public void onCompleted(Job job, Object result) {
          finished.countDown();
        }

        @Override
        public void onFailed(Job job, Throwable error) {   // failed for good: UnrecoverableError is not retried
          failures.add(job.id());
          finished.countDown();
        }
      });
      addRows(redis, queueName, rows);
      if (!finished.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(finished.getCount() + " rows were not stored within 60 s");
      }
    }
    List<List<Row>> inserts = database.inserts();
    int inserted = inserts.stream().mapToInt(List::size).sum();
    out.println(inserted + " rows inserted in " + inserts.size() + " round trips; " + failures.size() + " rows failed");
    return new Result(inserts, failures.size());
  }

  /** Adds the rows in one call; every 20th has a negative amount. */
  static void addRows(RedisConfig redis, String queueName, int rows) {
    List<JobSpec> specs = new ArrayList<>();
    for (int id = 1; id <= rows; id++) {
      specs.add(JobSpec.of("row", new Row(id, id % 20 == 0 ? -id : id * 100L)));
    }
    try (Queue queue = new Queue(queueName, QueueOptions.of(redis))) {
      queue.addBulk(specs);
    }
  }
}
