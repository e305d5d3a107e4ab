package io.bullpen.examples;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueEvents;
import io.bullpen.redis.QueueEventsOptions;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.RedisConnector;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The deployment guide's Redis Cluster: one connector for the whole process, and queues whose names carry a hash
 * tag, so each lives in one slot and the queues spread over the masters. Prints, for instance:
 *
 * <pre>
 * {emails}: 3 completed
 * {reports}: 3 completed
 * </pre>
 *
 * <p>Starts a local three-master cluster; run it with {@code ./mvnw -q -DskipTests -pl examples -am package
 * exec:java -Dexec.mainClass=io.bullpen.examples.ClusterExample}.
 */
public final class ClusterExample {
  private ClusterExample() {}

  public static void main(String[] args) throws Exception {
    try (RedisCluster cluster = RedisCluster.builder().masters(3).start()) {
      List<String> hosts = new ArrayList<>();
      for (String seed : cluster.seedUris()) {
        hosts.add(seed.substring("redis://".length()));
      }
      run("redis-cluster://" + String.join(",", hosts), "{emails}", "{reports}", System.out);
    }
  }

  /** Runs three jobs on each of two queues of the cluster at {@code clusterUri}. */
  public static void run(String clusterUri, String firstQueue, String secondQueue, PrintStream out) {
    // region cluster
    // redis-cluster://host1:port1,host2:port2 names seed nodes; the rest of the topology is discovered.
    RedisConfig config = RedisConfig.of(clusterUri);
    try (RedisConnector redis = RedisConnector.create(config)) {   // one per process, shared by all below
      // A queue's keys must share one slot: a hash tag in the name ("{emails}") or in the prefix ("{bull}").
      QueueOptions queueOptions = QueueOptions.builder().connector(redis).build();
      WorkerOptions workerOptions = WorkerOptions.builder().connector(redis).concurrency(10).build();
      try (Queue emails = new Queue(firstQueue, queueOptions);
          Queue reports = new Queue(secondQueue, queueOptions);
          Worker emailWorker = new Worker(firstQueue, job -> "sent", workerOptions);
          Worker reportWorker = new Worker(secondQueue, job -> "rendered", workerOptions)) {
        // endregion
        for (Queue queue : List.of(emails, reports)) {
          try (QueueEvents events = new QueueEvents(queue.name(),
              QueueEventsOptions.builder().connector(redis).build())) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
              jobs.add(queue.add("job", Map.of("n", i)));
            }
            for (Job job : jobs) {
              events.waitUntilFinished(job.id(), Duration.ofSeconds(30)).join();
            }
          }
          out.println(queue.name() + ": " + queue.getJobCounts().get(JobState.COMPLETED) + " completed");
        }
      }
    }
  }
}
