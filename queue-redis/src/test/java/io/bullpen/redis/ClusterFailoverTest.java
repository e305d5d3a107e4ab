package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.event.QueueEvent;
import io.bullpen.testkit.RedisCluster;
import io.bullpen.testkit.RedisProcess;
import io.bullpen.testkit.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A master of a Redis Cluster fails while a worker processes its queue and a producer keeps adding: once a replica
 * has taken over, processing resumes by itself, every acknowledged add completes with its {@code completed} event,
 * no job stays active and no job runs more than twice. Prints the recovery figures.
 */
@RedisTest
class ClusterFailoverTest {
  private static final int CONCURRENCY = 10;

  @Test
  void aKilledMasterIsReplacedAndNothingIsLostOrStuck() throws Exception {
    failOver("SIGKILL", RedisProcess::kill, master -> { });
  }

  @Test
  void aFrozenMasterIsReplacedAndNothingIsLostOrStuck() throws Exception {
    failOver("SIGSTOP", RedisProcess::freeze, RedisProcess::thaw);
  }

  private void failOver(String how, Consumer<RedisProcess> fail, Consumer<RedisProcess> afterwards)
      throws Exception {
    try (RedisCluster cluster = RedisCluster.builder().masters(3).replicasPerMaster(1).start();
        RedisConnector connector = RedisConnector.create(RedisConfig.of(ClusterQueueTest.clusterUri(cluster)))) {
      // A worker on another queue opens the connector's shared pub/sub connection; the queue under test lives on
      // that connection's node when it is a master, so the failover also takes the pub/sub node away.
      Worker opener = new Worker("{opener}", job -> null, WorkerOptions.builder().connector(connector).build());
      RedisProcess pubSubNode = awaitPubSubNode(cluster);
      String name = queueOn(cluster, cluster.masters().contains(pubSubNode) ? pubSubNode : cluster.masters().get(0));
      Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
      Set<String> completedEvents = ConcurrentHashMap.newKeySet();
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicLong lastCompletion = new AtomicLong();
      AtomicBoolean producing = new AtomicBoolean(true);
      AtomicInteger failedAdds = new AtomicInteger();
      try (Queue queue = new Queue(name, QueueOptions.builder().connector(connector).build());
          QueueEvents events = new QueueEvents(name, QueueEventsOptions.builder().connector(connector).build());
          Worker worker = new Worker(name, job -> {
            runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
            if (job.name().equals("long")) {
              if (job.cancellation().await(Duration.ofSeconds(30))) {
                job.cancellation().throwIfCancelled();
              }
              return "not cancelled";
            }
            Thread.sleep(20);
            lastCompletion.set(System.nanoTime());
            return "ok";
          }, WorkerOptions.builder().connector(connector).concurrency(CONCURRENCY).build())) {
        events.on(QueueEvent.Completed.class, e -> completedEvents.add(e.job()));
        Thread producer = new Thread(() -> {
          while (producing.get()) {
            try {
              Job job = queue.add("work", Map.of());
              acknowledged.add(job.id());
              Thread.sleep(5);
            } catch (InterruptedException e) {
              return;
            } catch (RuntimeException e) {
              failedAdds.incrementAndGet();  // not acknowledged: may or may not exist
            }
          }
        }, "failover-producer");
        producer.start();
        WorkerFixture.await(Duration.ofSeconds(30), () -> completedEvents.size() >= 100,
            () -> "first completions: " + completedEvents.size());

        RedisProcess master = cluster.masterFor(name);
        long failedAt = System.nanoTime();
        fail.accept(master);
        RedisProcess promoted = cluster.awaitFailover(master, Duration.ofSeconds(60));
        long promotedAt = System.nanoTime();
        WorkerFixture.await(Duration.ofSeconds(60), () -> lastCompletion.get() > promotedAt,
            () -> "no completion since the replica " + promoted.port() + " took over");
        long resumedAt = lastCompletion.get();
        afterwards.accept(master);
        // Keep adding for a while on the new master, then let the queue drain.
        long addsBefore = acknowledged.size();
        WorkerFixture.await(Duration.ofSeconds(30), () -> acknowledged.size() >= addsBefore + 100,
            () -> "adds after the failover: " + (acknowledged.size() - addsBefore));
        producing.set(false);
        producer.join(10_000);

        WorkerFixture.await(Duration.ofSeconds(60), () -> completedEvents.containsAll(acknowledged),
            () -> missing(acknowledged, completedEvents, queue) + " stream " + streamOf(promoted, name, acknowledged,
                completedEvents));
        List<String> notCompleted = new ArrayList<>();
        for (String id : acknowledged) {
          if (queue.getJobState(id) != JobState.COMPLETED) {
            notCompleted.add(id + "=" + queue.getJobState(id));
          }
        }
        assertEquals(List.of(), notCompleted, "every acknowledged add completed");
        // Cancels still reach running jobs: the shared pub/sub connection subscribed again after the change.
        Job running = queue.add("long", Map.of());
        WorkerFixture.await(() -> runs.containsKey(running.id()), "the long job started");
        assertTrue(queue.cancelJob(running.id(), "cancelled after the failover"));
        WorkerFixture.await(() -> queue.getJobState(running.id()) == JobState.FAILED,
            "the cancel reached the worker");
        assertEquals(0L, queue.getJobCounts().get(JobState.ACTIVE), "nothing stuck in active");
        long reruns = runs.values().stream().filter(n -> n.get() > 1).count();
        int most = runs.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
        assertTrue(most <= 2, "a job ran " + most + " times");
        assertTrue(reruns <= CONCURRENCY, reruns + " jobs ran twice, more than were in flight");
        double toPromotion = (promotedAt - failedAt) / 1e9;
        double toResume = (resumedAt - promotedAt) / 1e9;
        System.out.printf("cluster failover (%s): replica took over after %.1f s, first completion %.2f s later;"
            + " %d jobs, %d re-run, %d adds refused meanwhile; the pub/sub node %s%n", how, toPromotion, toResume,
            acknowledged.size(), reruns, failedAdds.get(), pubSubNode.equals(master) ? "failed too" : "survived");
        opener.close();
        assertTrue(toResume < 30, "processing resumed " + toResume + " s after the failover");
      }
    }
  }

  private static RedisProcess awaitPubSubNode(RedisCluster cluster) {
    RedisProcess[] found = new RedisProcess[1];
    WorkerFixture.await(() -> {
      for (RedisProcess node : cluster.nodes()) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(node.uri());
        try (var connection = client.connect()) {
          if (connection.sync().clientList().contains(" sub=1 ")) {
            found[0] = node;
            return true;
          }
        } finally {
          client.shutdown();
        }
      }
      return false;
    }, "a pub/sub connection on some node");
    return found[0];
  }

  private static String queueOn(RedisCluster cluster, RedisProcess master) {
    while (true) {
      String name = "{failover-" + UUID.randomUUID().toString().substring(0, 8) + "}";
      if (cluster.masterFor(name).equals(master)) {
        return name;
      }
    }
  }

  private static String streamOf(RedisProcess node, String queue, Set<String> acknowledged, Set<String> completed) {
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(node.uri());
    try (var connection = client.connect()) {
      StringBuilder out = new StringBuilder();
      for (var message : connection.sync().xrange("bull:" + queue + ":events", io.lettuce.core.Range.create("-", "+"))) {
        String job = message.getBody().get("jobId");
        if (job != null && acknowledged.contains(job) && !completed.contains(job)) {
          out.append(message.getId()).append(' ').append(message.getBody()).append("; ");
        }
      }
      return out.toString();
    } finally {
      client.shutdown();
    }
  }

  private static String missing(Set<String> acknowledged, Set<String> completed, Queue queue) {
    List<String> left = acknowledged.stream().filter(id -> !completed.contains(id)).limit(10)
        .map(id -> id + "=" + queue.getJobState(id)).toList();
    return "jobs without a completed event: " + left;
  }
}
