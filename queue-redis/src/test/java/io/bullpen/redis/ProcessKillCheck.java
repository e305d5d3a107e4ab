package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.redis.ProcessKillRun.Start;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The invariants a {@link ProcessKillRun} must end with: every job completed exactly once in Redis and nowhere
 * else, no lock or stalled mark left, one {@code completed} event each; and a processor ran a job again only
 * after a run of it was cut short by a kill.
 */
final class ProcessKillCheck {
  private static final List<String> LISTS = List.of("wait", "active", "paused");
  private static final List<String> ZSETS = List.of("prioritized", "delayed", "completed", "failed",
      "waiting-children");

  private ProcessKillCheck() {}

  /** Redis: all ids in {@code completed} and in no other structure, no lock, one completed event, one attempt. */
  static void assertEveryJobCompletedOnce(ProcessKillRun run) {
    RedisClusterCommands<String, String> r = run.raw();
    Map<String, List<String>> placesById = new HashMap<>();
    for (String list : LISTS) {
      r.lrange(run.key(list), 0, -1).forEach(id -> placesById.computeIfAbsent(id, k -> new ArrayList<>()).add(list));
    }
    for (String zset : ZSETS) {
      r.zrange(run.key(zset), 0, -1).forEach(id -> placesById.computeIfAbsent(id, k -> new ArrayList<>()).add(zset));
    }
    Map<String, List<String>> misplaced = new TreeMap<>();
    placesById.forEach((id, places) -> {
      if (!places.equals(List.of("completed"))) {
        misplaced.put(id, places);
      }
    });
    assertEquals(Map.of(), misplaced, "jobs in a structure other than completed alone");
    assertEquals(new TreeSet<>(run.ids), new TreeSet<>(placesById.keySet()), "completed holds every job");
    assertEquals(List.of(), r.keys(run.key("*:lock")), "no lock is left");
    assertEquals(0, r.scard(run.key("stalled")), "no job is left in the stalled snapshot");

    Map<String, Integer> completedEvents = new HashMap<>();
    Map<String, Integer> stalledEvents = new HashMap<>();
    for (StreamMessage<String, String> m : r.xrange(run.key("events"), Range.create("-", "+"))) {
      String event = m.getBody().get("event");
      if ("completed".equals(event)) {
        completedEvents.merge(m.getBody().get("jobId"), 1, Integer::sum);
      } else if ("stalled".equals(event)) {
        stalledEvents.merge(m.getBody().get("jobId"), 1, Integer::sum);
      }
    }
    Map<String, Integer> runs = run.runs();
    for (String id : run.ids) {
      assertEquals(1, completedEvents.getOrDefault(id, 0), "completed events of job " + id);
      Map<String, String> hash = r.hgetall(run.key(id));
      assertEquals("1", hash.get("atm"), "job " + id + " made one attempt (a stall uses none): " + hash);
      int stalls = Integer.parseInt(hash.getOrDefault("stc", "0"));
      assertEquals(stalls, stalledEvents.getOrDefault(id, 0), "stalled events of job " + id);
      assertTrue(stalls >= runs.getOrDefault(id, 0) - 1, "job " + id + " ran " + runs.get(id)
          + " times, so it stalled at least once less often; stc " + stalls);
    }
  }

  /**
   * Transcripts and run counters: every job ran, its completion was heard at most once, and every run but the
   * last of each job was one a killed worker had started and not finished when it was killed.
   */
  static void assertOnlyJobsInFlightOnAKilledWorkerRanAgain(ProcessKillRun run) {
    Map<String, Integer> runs = run.runs();
    Map<String, List<Start>> starts = run.startsByJob();
    Map<String, Integer> heard = new HashMap<>();
    run.workers.forEach(w -> w.done().forEach(id -> heard.merge(id, 1, Integer::sum)));
    Map<ProcessKillRun.WorkerJvm, Set<String>> inFlight = new HashMap<>();
    for (ProcessKillRun.WorkerJvm worker : run.workers) {
      inFlight.put(worker, worker.inFlight());
    }
    List<String> unexplained = new ArrayList<>();
    for (String id : run.ids) {
      int count = runs.getOrDefault(id, 0);
      List<Start> own = starts.getOrDefault(id, List.of());
      assertTrue(count >= 1, "job " + id + " ran");
      // A kill between the printed start and the counted run leaves a start without a run, never the reverse.
      if (own.size() < count) {
        throw new AssertionError("job " + id + ": " + count + " runs counted, " + own.size() + " printed; " + run.story(id));
      }
      assertTrue(heard.getOrDefault(id, 0) <= 1, "job " + id + " completed more than once: " + heard.get(id));
      for (Start start : own.subList(0, own.size() - 1)) {
        if (!start.worker().killedMidRun() || !inFlight.get(start.worker()).contains(id)) {
          unexplained.add(id + " started on " + start.worker() + " at " + start.atMillis() + ", all starts "
              + own.stream().map(s -> s.worker().name + "@" + s.atMillis()).toList());
        }
      }
    }
    assertEquals(List.of(), unexplained, "runs followed by another run though no kill cut them short");
  }
}
