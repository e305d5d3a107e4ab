package io.bullpen.examples;

import io.bullpen.Backoff;
import io.bullpen.Job;
import io.bullpen.JobLogs;
import io.bullpen.JobOptions;
import io.bullpen.Processor;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The worker guide: a worker with concurrency 8 sends three e-mails through a mail server that times out on the
 * first try of each, so every job fails once, is retried after its backoff and completes; the processor reports
 * progress and writes log lines, and a listener prints what happens. Ends with each job's log, for instance:
 *
 * <pre>
 * job 1 failed: mail server timed out
 * ...
 * job 1 sent: Receipt[to=ann@example.com, attempt=2]
 * ...
 * job 1 log: [sending to ann@example.com, sending to ann@example.com, sent on attempt 2]
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.WorkerBasicsExample}.
 */
public final class WorkerBasicsExample {
  /** A job's data. */
  public record Email(String to, String subject) {}

  /** A job's result. */
  public record Receipt(String to, int attempt) {}

  /** A stand-in for a mail server client that fails the first time it sees an address. */
  static final class Mailer {
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    Receipt send(Email email, int attempt) {
      if (seen.add(email.to())) {
        throw new IllegalStateException("mail server timed out");
      }
      return new Receipt(email.to(), attempt);
    }
  }

  private WorkerBasicsExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "emails", System.out);
    }
  }

  /** Sends three e-mails (jobs 1, 2 and 3 of a new queue) through queue {@code queueName}. */
  public static void run(String redisUri, String queueName, PrintStream out) throws InterruptedException {
    // region worker
    WorkerOptions options = WorkerOptions.builder()
        .redis(RedisConfig.of(redisUri))
        .concurrency(8)
        .build();

    Mailer mailer = new Mailer();                   // a stand-in that times out on the first try to each address

    Processor send = job -> {
      Email email = job.data(Email.class);
      job.log("sending to " + email.to());          // buffered; read back with queue.getJobLogs(id)
      job.updateProgress(50);                       // any JSON value; a `progress` event
      int attempt = job.attemptsMade() + 1;
      Receipt receipt = mailer.send(email, attempt);   // throws on the first attempt: retried after the backoff
      job.log("sent on attempt " + attempt);
      return receipt;                               // the return value becomes `returnvalue` (JSON)
    };
    CountDownLatch sent = new CountDownLatch(3);
    try (Worker worker = new Worker(queueName, send, options)) {   // starts at once (autorun)
      printEvents(worker, sent, out);               // a WorkerListener counting completions down, see below
      List<String> ids = addEmails(redisUri, queueName);   // 3 e-mails, 3 attempts each, 100 ms apart
      if (!sent.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the e-mails were not sent within 30 s");
      }
      printLogs(redisUri, queueName, ids, out);     // what the processor logged
    }                                               // close(): waits up to closeTimeout for jobs in flight
    // endregion
  }

  /** Prints each job's failed attempts and its completion, and counts completions down on {@code sent}. */
  static void printEvents(Worker worker, CountDownLatch sent, PrintStream out) {
    // region listener
    worker.addListener(new WorkerListener() {
      @Override
      public void onCompleted(Job job, Object result) {
        out.println("job " + job.id() + " sent: " + result);
        sent.countDown();
      }

      @Override
      public void onFailed(Job job, Throwable error) {     // every failed attempt, retried or not
        out.println("job " + job.id() + " failed: " + error.getMessage());
      }

      @Override
      public void onError(Throwable error) {               // Redis away, lock lost, ...
        out.println("worker error: " + error);
      }
    });
    // endregion
  }

  /** Adds the three e-mails, each with 3 attempts and a fixed 100 ms backoff between them. */
  static List<String> addEmails(String redisUri, String queueName) {
    List<String> ids = new ArrayList<>();
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redisUri)))) {
      // region retries
      JobOptions retries = JobOptions.builder()
          .attempts(3)                            // 1 try + 2 retries
          .backoff(Backoff.fixed(100))            // 100 ms between them; Backoff.exponential(100): 100, 200, ...
          .build();
      for (String to : List.of("ann@example.com", "bob@example.com", "cy@example.com")) {
        Job job = queue.add("welcome", new Email(to, "Welcome!"), retries);
        ids.add(job.id());
      }
      // endregion
    }
    return ids;
  }

  /** Prints each job's log lines, read back from Redis. */
  static void printLogs(String redisUri, String queueName, List<String> ids, PrintStream out) {
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redisUri)))) {
      for (String id : ids) {
        JobLogs logs = queue.getJobLogs(id);
        out.println("job " + id + " log: " + logs.lines());
      }
    }
  }
}
