package io.bullpen.outbox;

import static io.bullpen.outbox.OutboxFixture.await;
import static io.bullpen.outbox.OutboxFixture.jobCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Backoff;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@RedisTest
class OutboxRelayTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final OutboxFixture f;

  OutboxRelayTest(RunningRedis redis) {
    this.f = new OutboxFixture(redis.uri());
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aCommittedRowBecomesExactlyOneJobWithItsDataAndOptions() {
    Queue queue = f.queue();
    f.commit(f.job(Map.of("to", "ann@example.com"))
        .withOptions(JobOptions.builder().attempts(3).priority(4).backoff(Backoff.fixed(100)).build()));
    f.closeLater(OutboxRelay.start(f.relayOptions().build()));
    await(WAIT, "the row is relayed", () -> f.rows() == 0, f::rows);
    assertEquals(1, jobCount(queue));
    Job job = queue.getJobs(Set.of(JobState.PRIORITIZED), 0, -1, true).get(0);
    assertEquals("test-job", job.name());
    assertEquals("{\"to\":\"ann@example.com\"}", job.dataJson());
    assertEquals(3, job.options().attempts());
    assertEquals(4, job.priority());
    assertTrue(job.options().deduplication().orElseThrow().id().startsWith(OutboxRecord.DEDUPLICATION_PREFIX));
  }

  @Test
  void aRolledBackRowNeverBecomesAJob() throws Exception {
    Queue queue = f.queue();
    f.closeLater(OutboxRelay.start(f.relayOptions().build()));
    try (Connection c = f.postgres.connect()) {
      c.setAutoCommit(false);
      f.outbox.enqueue(c, f.job("rolled back"));
      c.rollback();
    }
    f.commit(f.job("committed after"));
    await(WAIT, "the committed row is relayed", () -> f.rows() == 0 && jobCount(queue) >= 1, f::rows);
    List<Job> jobs = queue.getJobs(Set.of(JobState.WAITING), 0, -1, true);
    assertEquals(List.of("\"committed after\""), jobs.stream().map(Job::dataJson).toList());
  }

  @Test
  void aNotificationWakesAnIdleRelayAtOnce() {
    Queue queue = f.queue();
    // Polls at most once a minute: only LISTEN/NOTIFY can bring the rows in within the wait.
    f.closeLater(OutboxRelay.start(f.relayOptions()
        .idleBackoff(Duration.ofMinutes(1), Duration.ofMinutes(1)).build()));
    f.commit(f.job(1));
    await(WAIT, "the first row is relayed", () -> jobCount(queue) == 1, f::rows);
    for (int i = 2; i <= 4; i++) {
      f.commit(f.job(i));
      long expected = i;
      await(Duration.ofSeconds(20), "row " + i + " is relayed", () -> jobCount(queue) == expected, f::rows);
    }
  }

  @Test
  void theJobIsStampedWithTheEnqueueTimeSoADelayCountsFromTheTransaction() {
    Instant enqueued = Instant.now().minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    OutboxOptions past = OutboxOptions.builder().table(f.options.qualifiedTable())
        .clock(Clock.fixed(enqueued, ZoneOffset.UTC)).build();
    Outbox outbox = new Outbox(past);
    Queue queue = f.queue();
    try (Connection c = f.postgres.connect()) {
      c.setAutoCommit(false);
      outbox.enqueue(c, f.queueName, "late", null, JobOptions.builder().delay(Duration.ofHours(1)).build());
      c.commit();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    OutboxRelay relay = f.closeLater(new OutboxRelay(f.relayOptions().build()));
    assertEquals(1, relay.relayOnce());
    Job job = queue.getJobs(Set.of(JobState.DELAYED, JobState.WAITING), 0, -1, true).get(0);
    assertEquals(enqueued.toEpochMilli(), job.timestamp());
  }

  @Test
  void aPoisonRowIsParkedWithItsErrorAfterItsAttemptsAndTheOthersGoOn() throws Exception {
    Queue queue = f.queue();
    long poison = f.commit(f.job("poison"));
    f.execute("UPDATE " + f.options.qualifiedTable() + " SET options = '{\"bogus\":1}' WHERE id = " + poison);
    f.commit(List.of(f.job(1), f.job(2), f.job(3)));
    RecordingListener listener = new RecordingListener();
    f.closeLater(OutboxRelay.start(f.relayOptions().maxAttempts(3).retryBackoff(Backoff.fixed(20))
        .listener(listener).build()));
    await(WAIT, "the poison row is parked", () -> listener.parked.size() == 1, listener::snapshot);
    assertEquals(3, jobCount(queue));
    assertEquals(List.of("retry " + poison + " 1", "retry " + poison + " 2", "parked " + poison),
        listener.snapshot().stream().filter(e -> e.endsWith(" " + poison) || e.contains(" " + poison + " "))
            .toList());
    try (Connection c = f.postgres.connect()) {
      List<OutboxRecord> parked = f.outbox.parked(c, 10);
      assertEquals(1, parked.size());
      assertEquals(3, parked.get(0).attempts());
      assertTrue(parked.get(0).lastError().contains("options.bogus"), parked.get(0).lastError());
      assertEquals(0, f.outbox.pendingCount(c));
      // Fixed, and put back in line: it is relayed like any other row.
      f.execute("UPDATE " + f.options.qualifiedTable() + " SET options = '{}' WHERE id = " + poison);
      assertTrue(f.outbox.unpark(c, poison));
    }
    await(WAIT, "the unparked row is relayed", () -> f.rows() == 0, f::rows);
    assertEquals(4, jobCount(queue));
  }

  @Test
  void aRowForAQueueBullpenRefusesIsParkedInsteadOfStoppingTheRelay() {
    Queue queue = f.queue();
    long bad = f.commit(f.job("bad queue"));
    f.execute("UPDATE " + f.options.qualifiedTable() + " SET queue = 'no:colons' WHERE id = " + bad);
    f.commit(f.job("good"));
    RecordingListener listener = new RecordingListener();
    f.closeLater(OutboxRelay.start(f.relayOptions().maxAttempts(2).retryBackoff(Backoff.fixed(10))
        .listener(listener).build()));
    await(WAIT, "the bad row is parked and the good one relayed",
        () -> listener.parked.size() == 1 && jobCount(queue) == 1, listener::snapshot);
    assertEquals(bad, listener.parked.get(0).id());
    assertTrue(listener.parked.get(0).lastError().contains("queueName"), listener.parked.get(0).lastError());
  }

  @Test
  void rowsOfOneOrderingKeyReachTheQueueInOrderWithSeveralRelays() {
    Queue queue = f.queue();
    int keys = 6;
    int perKey = 60;
    RecordingListener listener = new RecordingListener();
    for (int r = 0; r < 2; r++) {
      f.closeLater(OutboxRelay.start(f.relayOptions().batchSize(7).concurrency(2).listener(listener)
          .name("relay-" + r).build()));
    }
    for (int seq = 0; seq < perKey; seq++) {
      List<OutboxJob> jobs = new java.util.ArrayList<>();
      for (int k = 0; k < keys; k++) {
        jobs.add(f.job(Map.of("key", "k" + k, "seq", seq)).withOrderingKey("k" + k));
      }
      jobs.add(f.job(Map.of("key", "none", "seq", seq)));
      f.commit(jobs);
    }
    int total = (keys + 1) * perKey;
    await(WAIT, "every row is relayed", () -> f.rows() == 0 && jobCount(queue) == total, f::rows);
    assertEquals(total, listener.added.size(), "each row was added once");
    assertEquals(total, Set.copyOf(listener.added).size());
    Map<String, List<Integer>> seqByKey = new java.util.TreeMap<>();
    queue.getJobs(Set.of(JobState.WAITING), 0, -1, true).stream()
        .sorted(java.util.Comparator.comparingLong(j -> Long.parseLong(j.id())))
        .map(j -> j.data(Map.class))
        .forEach(d -> seqByKey.computeIfAbsent((String) d.get("key"), k -> new java.util.ArrayList<>())
            .add((Integer) d.get("seq")));
    for (int k = 0; k < keys; k++) {
      List<Integer> seqs = seqByKey.get("k" + k);
      assertEquals(java.util.stream.IntStream.range(0, perKey).boxed().toList(), seqs, "order of key k" + k);
    }
  }

  @Test
  void laterRowsOfAKeyWaitWhileItsFirstRowIsRetriedAndGoOnceItIsParked() {
    Queue queue = f.queue();
    long head = f.commit(f.job("head").withOrderingKey("order-1"));
    f.execute("UPDATE " + f.options.qualifiedTable() + " SET options = '{\"bogus\":1}' WHERE id = " + head);
    List<Long> later = f.commit(List.of(f.job("second").withOrderingKey("order-1"),
        f.job("third").withOrderingKey("order-1"), f.job("other key").withOrderingKey("order-2")));
    RecordingListener listener = new RecordingListener();
    f.closeLater(OutboxRelay.start(f.relayOptions().maxAttempts(4).retryBackoff(Backoff.fixed(30))
        .listener(listener).build()));
    await(WAIT, "the key's later rows are relayed", () -> f.rows() == 1 && jobCount(queue) == 3,
        listener::snapshot);
    List<String> events = listener.snapshot();
    int parkedAt = events.indexOf("parked " + head);
    assertTrue(parkedAt >= 0, events.toString());
    assertTrue(events.indexOf("added " + later.get(0)) > parkedAt, events.toString());
    assertTrue(events.indexOf("added " + later.get(1)) > events.indexOf("added " + later.get(0)), events.toString());
    assertTrue(events.indexOf("added " + later.get(2)) < parkedAt, "another key does not wait: " + events);
  }

  @Test
  void twoRelaysRacingAddEveryRowExactlyOnce() {
    Queue queue = f.queue();
    RecordingListener one = new RecordingListener();
    RecordingListener two = new RecordingListener();
    OutboxRelay relayOne = f.closeLater(new OutboxRelay(f.relayOptions().batchSize(50).concurrency(2)
        .listener(one).name("one").build()));
    OutboxRelay relayTwo = f.closeLater(new OutboxRelay(f.relayOptions().batchSize(50).concurrency(2)
        .listener(two).name("two").build()));
    // Each relays a row of its own first, so both have their queue connected when the race starts.
    f.commit(f.job("warm-up one"));
    assertEquals(1, relayOne.relayOnce());
    f.commit(f.job("warm-up two"));
    assertEquals(1, relayTwo.relayOnce());
    one.added.clear();
    two.added.clear();
    relayOne.start();
    relayTwo.start();
    int total = 2;
    for (int t = 0; t < 40; t++) {
      List<OutboxJob> jobs = new java.util.ArrayList<>();
      for (int i = 0; i < 50; i++) {
        jobs.add(f.job(Map.of("t", t, "i", i)));
      }
      f.commit(jobs);
      total += jobs.size();
    }
    int expected = total;
    await(WAIT, "every row is relayed", () -> f.rows() == 0 && jobCount(queue) == expected,
        () -> f.rows() + " rows, " + jobCount(queue) + " jobs");
    List<Long> all = new java.util.ArrayList<>(one.added);
    all.addAll(two.added);
    assertEquals(expected - 2, all.size(), "adds made");
    assertEquals(expected - 2, Set.copyOf(all).size(), "distinct rows added");
    assertTrue(!one.added.isEmpty() && !two.added.isEmpty(), "both relays took part: " + one.added.size() + "/"
        + two.added.size());
  }
}
