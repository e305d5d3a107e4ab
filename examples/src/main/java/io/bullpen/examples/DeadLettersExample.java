package io.bullpen.examples;

import io.bullpen.Backoff;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;

/**
 * Dead letters (the flow-control guide): a payment fails both its attempts against a payment gateway that is down,
 * so it is copied to the dead-letter queue; once the gateway is back, the dead letter is replayed and the payment
 * goes through. Prints:
 *
 * <pre>
 * dead letter 1 in payments-dead: job 1 of bull:payments, "gateway unavailable", 2 attempts
 * replayed 1; dead letters left: 0
 * job 1 completed: paid card-4242 19.99
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.DeadLettersExample}.
 */
public final class DeadLettersExample {
  /** A job's data. */
  public record Payment(String card, int cents) {}

  /** A stand-in for a payment gateway client: down until {@link #recover()}. */
  static final class Gateway {
    private volatile boolean up;

    String charge(Payment payment) {
      if (!up) {
        throw new IllegalStateException("gateway unavailable");
      }
      return "paid " + payment.card() + " " + payment.cents() / 100 + "." + payment.cents() % 100;
    }

    void recover() {
      up = true;
    }
  }

  private DeadLettersExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "payments", "payments-dead", System.out);
    }
  }

  /** Runs one payment (job 1) on queue {@code queueName}, with dead letters going to {@code deadLetterQueue}. */
  public static void run(String redisUri, String queueName, String deadLetterQueue, PrintStream out)
      throws InterruptedException {
    RedisConfig redis = RedisConfig.of(redisUri);
    Gateway gateway = new Gateway();
    CountDownLatch failedForGood = new CountDownLatch(2);   // both attempts
    CountDownLatch completed = new CountDownLatch(1);
    AtomicReference<String> completion = new AtomicReference<>();
    try (Queue payments = new Queue(queueName, QueueOptions.of(redis));
        Queue dead = new Queue(deadLetterQueue, QueueOptions.of(redis));
        Worker worker = new Worker(queueName, job -> gateway.charge(job.data(Payment.class)),
            WorkerOptions.builder().redis(redis).build())) {
      worker.addListener(new WorkerListener() {
        @Override
        public void onFailed(Job job, Throwable error) {   // after the script that failed (and copied) the job
          failedForGood.countDown();
        }

        @Override
        public void onCompleted(Job job, Object result) {
          // Printed by the main thread after the replay line, so the output has one order.
          completion.set("job " + job.id() + " completed: " + result);
          completed.countDown();
        }
      });
      JobOptions twoAttempts = JobOptions.builder().attempts(2).backoff(Backoff.fixed(100)).build();

      // region dead-letters
      payments.deadLetters().setQueue(deadLetterQueue);     // stored in bp:config; same prefix
      Job payment = payments.add("charge", new Payment("card-4242", 1_999), twoAttempts);
      await(failedForGood, "job " + payment.id() + " to fail for good");   // the gateway is down: both attempts fail
      printDeadLetters(dead, out);                          // the copy, in the dead-letter queue's failed set
      gateway.recover();
      long replayed = payments.deadLetters().replay();      // or replay(100); getQueue(), removeQueue()
      // endregion
      out.println("replayed " + replayed + "; dead letters left: " + dead.getJobCounts(JobState.FAILED)
          .get(JobState.FAILED));
      await(completed, "the replayed payment to complete");
      out.println(completion.get());
    }
  }

  /** Prints every dead letter: where it came from, why it failed and after how many attempts. */
  static void printDeadLetters(Queue dead, PrintStream out) {
    List<Job> letters = dead.getJobs(Set.of(JobState.FAILED), 0, -1, true);
    for (Job letter : letters) {
      out.println("dead letter " + letter.id() + " in " + dead.name() + ": job " + letter.rawFields().get("dlid")
          + " of " + letter.rawFields().get("dlsrc") + ", \"" + letter.rawFields().get("dlreason") + "\", "
          + letter.attemptsMade() + " attempts");
    }
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("waited 30 s for " + what);
    }
  }
}
