package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Remote workers over HTTP: claim under an owner token, then ack, fail, extend, abandon; two racing workers. */
@RedisTest
class LeaseRoutesTest {
  private static final String LEASES = "/api/v1/queues/remote-jobs/leases";
  private TestServer t;
  private Queue work;
  private Http worker;

  @BeforeEach
  void start(RunningRedis redis) {
    t = new TestServer(redis, b -> b.queues("remote-jobs"));
    work = t.queue("remote-jobs");
    worker = t.http.as(t.key(Set.of(Scope.WORK), "remote-jobs"));
  }

  @AfterEach
  void stop() {
    t.close();
  }

  private static List<String> ids(JsonNode jobs) {
    List<String> ids = new ArrayList<>();
    jobs.forEach(j -> ids.add(j.path("id").asText()));
    return ids;
  }

  @Test
  void claimsABatchAndSettlesEachWay() {
    for (int i = 0; i < 4; i++) {
      work.add("j" + i, Map.of("i", i), JobOptions.builder().attempts(2).build());
    }
    Http.Response claimed = worker.post(LEASES + "/claim", Map.of("owner", "w1", "leaseMs", 30_000, "max", 4));
    assertEquals(200, claimed.status(), claimed.toString());
    List<String> ids = ids(claimed.json().path("jobs"));
    assertEquals(4, ids.size());
    assertEquals(0, claimed.json().path("jobs").get(0).path("data").path("i").asInt(), "oldest first, with data");

    Http.Response acked = worker.post(LEASES + "/ack", Map.of("owner", "w1", "results", Map.of(ids.get(0),
        Map.of("ok", true))));
    assertEquals(ids.get(0), acked.json().path("done").get(0).asText(), acked.toString());
    assertEquals(JobState.COMPLETED, work.getJobState(ids.get(0)));
    assertEquals("{\"ok\":true}", work.getJob(ids.get(0)).orElseThrow().returnValueJson().orElseThrow());

    Http.Response failed = worker.post(LEASES + "/fail", Map.of("owner", "w1", "failures", List.of(
        Map.of("id", ids.get(1), "reason", "retry me"), Map.of("id", ids.get(2), "reason", "give up",
            "unrecoverable", true))));
    assertEquals(2, failed.json().path("done").size(), failed.toString());
    assertEquals(JobState.WAITING, work.getJobState(ids.get(1)), "attempts remain: retried");
    assertEquals(JobState.FAILED, work.getJobState(ids.get(2)));

    Http.Response extended = worker.post(LEASES + "/extend", Map.of("owner", "w1", "jobs", List.of(ids.get(3)),
        "leaseMs", 60_000));
    assertEquals(1, extended.json().path("done").size(), extended.toString());
    Http.Response stranger = worker.post(LEASES + "/ack", Map.of("owner", "w2", "jobs", List.of(ids.get(3))));
    assertEquals("LOCK_TAKEN", stranger.json().path("refused").path(ids.get(3)).asText(), stranger.toString());
    Http.Response abandoned = worker.post(LEASES + "/abandon", Map.of("owner", "w1", "jobs", List.of(ids.get(3))));
    assertEquals(1, abandoned.json().path("done").size(), abandoned.toString());
    assertEquals(JobState.WAITING, work.getJobState(ids.get(3)));
    Job job = work.getJob(ids.get(3)).orElseThrow();
    assertEquals(0, job.attemptsMade(), "abandon uses no attempt");
  }

  @Test
  void twoRemoteWorkersRacingTakeEveryJobExactlyOnce() throws Exception {
    int total = 300;
    List<io.bullpen.JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      specs.add(io.bullpen.JobSpec.of("race", Map.of("i", i)));
    }
    work.addBulk(specs);
    Map<String, String> claimedBy = new ConcurrentHashMap<>();
    List<String> doubles = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Integer>> workers = new ArrayList<>();
    for (String owner : List.of("remote-a", "remote-b")) {
      workers.add(pool.submit(() -> {
        go.await();
        int acked = 0;
        for (int round = 0; round < 10 * total; round++) {
          JsonNode jobs = worker.post(LEASES + "/claim", Map.of("owner", owner, "max", 7)).json().path("jobs");
          if (jobs.isEmpty()) {
            break;
          }
          List<String> ids = ids(jobs);
          for (String id : ids) {
            if (claimedBy.putIfAbsent(id, owner) != null) {
              doubles.add(id);
            }
          }
          JsonNode result = worker.post(LEASES + "/ack", Map.of("owner", owner, "jobs", ids)).json();
          acked += result.path("done").size();
          assertEquals(0, result.path("refused").size(), result.toString());
        }
        return acked;
      }));
    }
    go.countDown();
    int acked = 0;
    for (Future<Integer> f : workers) {
      acked += f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertEquals(List.of(), doubles, "no job claimed twice");
    assertEquals(total, acked);
    assertEquals(total, new HashSet<>(claimedBy.keySet()).size());
    assertEquals((long) total, work.getJobCounts(JobState.COMPLETED).get(JobState.COMPLETED));
    assertTrue(claimedBy.containsValue("remote-a") || claimedBy.containsValue("remote-b"));
  }
}
