package io.bullpen.examples;

import io.bullpen.Backoff;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.LeaseFailure;
import io.bullpen.LeaseResult;
import io.bullpen.redis.Leases;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leases guide: no worker runs; an outbox relay claims the queue's events under a lease, publishes them to a
 * broker (a stand-in that knows two topics) and settles them by id, then a second round shows every lease call.
 * Prints:
 *
 * <pre>
 * claimed [1, 2, 3]
 * acked [1, 3], failed [2]
 * acked [4], lost []
 * job 1: COMPLETED, attempts made 1
 * job 2: DELAYED, attempts made 1
 * ...
 * job 6: WAITING, attempts made 0
 * job 7: ACTIVE, attempts made 0
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.LeasesExample}.
 */
public final class LeasesExample {
  /** A job's data: an event for the broker. */
  public record Event(String topic, String body) {}

  /** A stand-in for a message broker client: it knows two topics and returns where a message went. */
  static final class Broker {
    private static final Set<String> TOPICS = Set.of("orders", "invoices");
    private int offset;

    synchronized String publish(Event event) {
      if (!TOPICS.contains(event.topic())) {
        throw new IllegalArgumentException("no topic " + event.topic());
      }
      return event.topic() + "@" + offset++;
    }
  }

  /** Every event is retried, 5 attempts in all, a minute apart. */
  static final JobOptions RETRIED = JobOptions.builder().attempts(5).backoff(Backoff.fixed(60_000)).build();

  private LeasesExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "outbox", System.out);
    }
  }

  /**
   * Adds three events (jobs 1-3, the second to a topic the broker does not know) to queue {@code queueName} and
   * relays them; then adds four more (jobs 4-7) and settles each of them with another lease call.
   */
  public static void run(String redisUri, String queueName, PrintStream out) {
    try (Queue producer = new Queue(queueName, QueueOptions.of(RedisConfig.of(redisUri)))) {
      producer.add("event", new Event("orders", "order 1 paid"), RETRIED);
      producer.add("event", new Event("refunds", "order 1 refunded"), RETRIED);
      producer.add("event", new Event("invoices", "invoice 1 sent"), RETRIED);
    }
    relay(redisUri, queueName, new Broker(), out);

    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redisUri)))) {
      for (int i = 4; i <= 7; i++) {
        queue.add("event", new Event("orders", "order " + i + " paid"), RETRIED);
      }
      everyCall(queue, new IllegalStateException("broker unavailable"), out);
      for (int i = 1; i <= 7; i++) {
        Job job = queue.getJob(Integer.toString(i)).orElseThrow();
        out.println("job " + job.id() + ": " + job.state() + ", attempts made " + job.attemptsMade());
      }
    }
  }

  /** One round of an outbox relay: claims what is runnable, publishes it, settles every job in two calls. */
  static void relay(String redisUri, String queueName, Broker broker, PrintStream out) {
    // region relay
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redisUri)))) {
      Leases leases = queue.leases();
      String owner = "relay-1";                                 // your token: the lock value of every job you hold
      List<Job> jobs = leases.claim(owner, Duration.ofSeconds(30), 100);
      out.println("claimed " + jobs.stream().map(Job::id).toList());
      Map<String, Object> results = new LinkedHashMap<>();
      List<LeaseFailure> failures = new ArrayList<>();
      for (Job job : jobs) {
        try {
          results.put(job.id(), broker.publish(job.data(Event.class)));
        } catch (Exception e) {
          failures.add(LeaseFailure.of(job.id(), e));
        }
      }
      LeaseResult acked = leases.ack(owner, results);           // one script call for all of them
      LeaseResult failed = leases.fail(owner, failures);        // retried by attempts/backoff, as a worker would
      acked.lost().forEach(id -> out.println("lease of job " + id + " ran out before the ack"));
      out.println("acked " + acked.done() + ", failed " + failed.done());
    }
    // endregion
  }

  /** Claims the four waiting jobs and settles each one differently. */
  static void everyCall(Queue queue, Exception error, PrintStream out) {
    // region calls
    Leases leases = queue.leases();
    List<Job> jobs = leases.claim("relay-1", Duration.ofSeconds(30), 100);   // up to 100 jobs, locked by "relay-1"
    LeaseResult done = leases.ack("relay-1", Map.of(jobs.get(0).id(), "sent"));
    leases.fail("relay-1", List.of(LeaseFailure.of(jobs.get(1).id(), error)));   // retried by attempts/backoff
    leases.abandon("relay-1", List.of(jobs.get(2).id()));                      // front of wait, no attempt used
    leases.extend("relay-1", List.of(jobs.get(3).id()), Duration.ofMinutes(1));
    out.println("acked " + done.done() + ", lost " + done.lost());   // lost: leases run out or taken by another
    // endregion
  }
}
