package io.bullpen.benchmarks;

import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.RedisConnector;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisCluster;
import io.bullpen.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a Redis Cluster costs and gives: the same workload (Q hash-tagged queues, J jobs each added beforehand, one
 * no-op worker per queue at concurrency C, all on one connector) on one standalone {@code redis-server} and on a
 * local 3-master cluster, in the same run. Prints jobs/s and Redis CPU per job (user + sys from each server's
 * {@code INFO cpu}), the cluster/standalone ratios, and the cost of {@code waitForReplicas(1)} on sequential adds
 * to a master with one replica. Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * io.bullpen.benchmarks.ClusterScaling [queues=6] [jobsPerQueue=20000] [concurrency=10]}.
 */
public final class ClusterScaling {
  private ClusterScaling() {}

  public static void main(String[] args) throws Exception {
    int queues = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    System.out.println("load average before: " + loadAverage());
    Result standalone;
    Result cluster;
    try (RedisProcess server = RedisProcess.builder().start()) {
      System.out.println("redis-server: " + server.source());
      standalone = run("standalone", server.uri(), List.of(server), queues, jobs, concurrency);
    }
    try (RedisCluster nodes = RedisCluster.builder().masters(3).start()) {
      List<String> hosts = new ArrayList<>();
      for (String seed : nodes.seedUris()) {
        hosts.add(seed.substring("redis://".length()));
      }
      cluster = run("cluster", "redis-cluster://" + String.join(",", hosts), nodes.masters(), queues, jobs,
          concurrency);
    }
    System.out.printf("cluster/standalone: throughput %.2fx, Redis CPU per job %.2fx%n",
        cluster.jobsPerSecond / standalone.jobsPerSecond, cluster.cpuMicrosPerJob / standalone.cpuMicrosPerJob);
    replicaWait(2_000);
    System.out.println("load average after: " + loadAverage());
  }

  private record Result(double jobsPerSecond, double cpuMicrosPerJob) {}

  private static Result run(String label, String uri, List<RedisProcess> servers, int queues, int jobs,
      int concurrency) throws Exception {
    try (RedisConnector connector = RedisConnector.create(RedisConfig.of(uri))) {
      List<Queue> all = new ArrayList<>();
      for (int q = 0; q < queues; q++) {
        Queue queue = new Queue("{bench-" + q + "}", QueueOptions.builder().connector(connector).build());
        all.add(queue);
        List<JobSpec> bulk = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
          bulk.add(JobSpec.of("job", Map.of("i", i)));
          if (bulk.size() == 1000) {
            queue.addBulk(bulk);
            bulk.clear();
          }
        }
      }
      double cpuBefore = cpuMicros(servers);
      long start = System.nanoTime();
      List<Worker> workers = new ArrayList<>();
      for (Queue queue : all) {
        workers.add(new Worker(queue.name(), job -> null, WorkerOptions.builder().connector(connector)
            .concurrency(concurrency).build()));
      }
      for (Queue queue : all) {
        while (queue.getJobCounts().get(JobState.COMPLETED) < jobs) {
          Thread.sleep(50);
        }
      }
      long nanos = System.nanoTime() - start;
      double cpu = cpuMicros(servers) - cpuBefore;
      for (Worker worker : workers) {
        worker.close();
      }
      for (Queue queue : all) {
        queue.close();
      }
      long total = (long) queues * jobs;
      Result result = new Result(total / (nanos / 1e9), cpu / total);
      System.out.printf("%s: %d queues x %d jobs, concurrency %d: %.0f jobs/s, Redis CPU %.1f us/job on %d"
          + " server(s)%n", label, queues, jobs, concurrency, result.jobsPerSecond, result.cpuMicrosPerJob,
          servers.size());
      return result;
    }
  }

  /** Sequential adds to a master with one replica, without and with waiting for it. */
  private static void replicaWait(int adds) throws Exception {
    try (RedisProcess master = RedisProcess.builder().start();
        RedisProcess replica = RedisProcess.builder().arg("replicaof", master.host(), String.valueOf(master.port()))
            .start()) {
      awaitInSync(replica);
      double[] micros = new double[2];
      for (int round = 0; round < 2; round++) {
        for (int wait = 0; wait <= 1; wait++) {
          RedisConfig.Builder config = RedisConfig.builder().uri(master.uri());
          if (wait == 1) {
            config.waitForReplicas(1, Duration.ofSeconds(5));
          }
          try (Queue queue = new Queue("wait-" + wait + "-" + round, QueueOptions.of(config.build()))) {
            long start = System.nanoTime();
            for (int i = 0; i < adds; i++) {
              queue.add("job", Map.of("i", i));
            }
            micros[wait] = (System.nanoTime() - start) / 1e3 / adds;  // the second round counts (warm)
          }
        }
      }
      System.out.printf("sequential add: %.0f us without waiting, %.0f us with waitForReplicas(1) (%.2fx)%n",
          micros[0], micros[1], micros[1] / micros[0]);
    }
  }

  private static void awaitInSync(RedisProcess replica) throws InterruptedException {
    RedisClient client = RedisClient.create(replica.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      while (!connection.sync().info("replication").contains("master_link_status:up")) {
        Thread.sleep(50);
      }
    } finally {
      client.shutdown();
    }
  }

  private static double cpuMicros(List<RedisProcess> servers) {
    double total = 0;
    for (RedisProcess server : servers) {
      RedisClient client = RedisClient.create(server.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        for (String line : connection.sync().info("cpu").split("\r?\n")) {
          if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
            total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim()) * 1e6;
          }
        }
      } finally {
        client.shutdown();
      }
    }
    return total;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
