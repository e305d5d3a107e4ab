package io.bullpen.outbox;

import static io.bullpen.outbox.OutboxFixture.await;
import static io.bullpen.outbox.OutboxFixture.jobCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.redis.Queue;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Relays in processes of their own: killed between the add and the mark, frozen past the lease, racing. */
@RedisTest
class RelayProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final OutboxFixture f;

  RelayProcessTest(RunningRedis redis) {
    this.f = new OutboxFixture(redis.uri());
  }

  @AfterEach
  void close() {
    f.close();
  }

  private List<Long> commitRows(int n) {
    List<OutboxJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(f.job(Map.of("i", i)));
    }
    return f.commit(jobs);
  }

  @Test
  void aRelayKilledBetweenTheAddAndTheMarkLeavesNoDuplicateForTheNextRelay() throws Exception {
    Queue queue = f.queue();
    List<Long> ids = commitRows(30);
    try (ChildRelay child = new ChildRelay(f, "pause-after-add", "100")) {
      child.await("added", 60);
      // The jobs are in Redis and the rows are still there, locked by the child's open transaction.
      assertEquals(30, jobCount(queue));
      assertEquals(30, f.rows());
      child.kill();
    }
    RecordingListener listener = new RecordingListener();
    OutboxRelay next = f.closeLater(new OutboxRelay(f.relayOptions().listener(listener).build()));
    await(WAIT, "the next relay takes the rows the killed one held", () -> next.relayOnce() > 0 || f.rows() == 0,
        f::rows);
    assertEquals(0, f.rows());
    assertEquals(Set.copyOf(ids), Set.copyOf(listener.added), "the next relay added every row again");
    assertEquals(30, jobCount(queue), "and Redis deduplicated every second add");
  }

  @Test
  void aRelayFrozenPastItsLeaseLosesItsRowsToAnotherRelayAndCreatesNoDuplicate() throws Exception {
    Queue queue = f.queue();
    commitRows(20);
    try (ChildRelay child = new ChildRelay(f, "pause-after-add", "100")) {
      child.await("added", 60);
      child.signal("STOP");
      // The child's lease is 2 s: PostgreSQL then ends its idle transaction and the rows are free again.
      OutboxRelay next = f.closeLater(OutboxRelay.start(f.relayOptions().build()));
      await(WAIT, "another relay takes the frozen relay's rows", () -> f.rows() == 0, f::rows);
      assertEquals(20, jobCount(queue));
      child.signal("CONT");
      child.proceed();
      // The thawed child finds its transaction ended: its marks fail, and nothing more is added.
      String outcome = child.await("failed", 30);
      assertTrue(outcome.contains("terminat"), outcome);
      assertEquals(20, jobCount(queue));
      next.close();
    }
  }

  @Test
  void twoRelayProcessesRacingAddEveryRowExactlyOnce() throws Exception {
    Queue queue = f.queue();
    try (ChildRelay one = new ChildRelay(f, "run", "20"); ChildRelay two = new ChildRelay(f, "run", "20")) {
      one.await("ready", 60);
      two.await("ready", 60);
      List<Long> ids = new ArrayList<>();
      for (int t = 0; t < 30; t++) {
        ids.addAll(commitRows(50));
      }
      await(WAIT, "every row is relayed", () -> f.rows() == 0 && jobCount(queue) == ids.size(),
          () -> f.rows() + " rows, " + jobCount(queue) + " jobs");
      await(Duration.ofSeconds(10), "both processes reported their adds",
          () -> one.added.size() + two.added.size() >= ids.size(), () -> one.added.size() + two.added.size());
      List<Long> all = new ArrayList<>(one.added);
      all.addAll(two.added);
      assertEquals(ids.size(), all.size(), "adds made by both processes");
      assertEquals(new HashSet<>(ids), new HashSet<>(all));
      assertEquals(true, !one.added.isEmpty() && !two.added.isEmpty(),
          "both took part: " + one.added.size() + "/" + two.added.size());
    }
  }
}
