package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.JobStateException;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.scheduler.Repeat;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.ScoredValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Job schedulers on Redis: BullMQ 6's storage, upsert, the next run created at start, limits and races. */
@RedisTest
class JobSchedulerTest {
  private WorkerFixture f;
  private JobSchedulers schedulers;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
    schedulers = f.queue.schedulers();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void everySchedulerRunsAtOnceAndIsStoredAsBullmqStoresIt() {
    long before = System.currentTimeMillis();
    Job first = schedulers.upsert("tick", Repeat.every(Duration.ofSeconds(2)).build(),
        JobSpec.of("tock", Map.of("a", 1), JobOptions.builder().attempts(2).build()));
    long millis = Long.parseLong(first.id().substring("repeat:tick:".length()));
    assertTrue(millis >= before && millis <= System.currentTimeMillis());
    assertEquals(JobState.WAITING, f.queue.getJobState(first.id()));

    Map<String, String> scheduler = f.redis.hgetall(f.key("repeat:tick"));
    assertEquals("tock", scheduler.get("name"));
    assertEquals("2000", scheduler.get("every"));
    assertEquals(Long.toString(millis % 2000), scheduler.get("offset"));
    assertEquals("{\"a\":1}", scheduler.get("data"));
    assertEquals(2, Json.tree(scheduler.get("opts"), "opts").get("attempts").asInt());
    assertEquals("1", scheduler.get("ic"));
    assertEquals((double) millis, f.redis.zscore(f.key("repeat"), "tick"));

    Map<String, String> job = f.hash(first.id());
    assertEquals("tick", job.get("rjk"));
    assertEquals("0", job.get("delay"));
    JsonNode opts = Json.tree(job.get("opts"), "opts");
    assertEquals(first.id(), opts.get("jobId").asText());
    assertEquals("tick", opts.get("repeatJobKey").asText());
    assertEquals(2000, opts.get("repeat").get("every").asLong());
    assertEquals(1, opts.get("repeat").get("count").asInt());
    assertFalse(opts.has("prevMillis"), "every runs carry no prevMillis, as in BullMQ");
    assertEquals(List.of("added", "waiting"), f.eventNamesOf(first.id()));
  }

  @Test
  void cronSchedulerWaitsDelayedForTheNextMatchInItsZone() {
    TestClock clock = new TestClock(Instant.parse("2026-10-24T23:50:00Z").toEpochMilli());
    try (Queue queue = new Queue(f.queueName, QueueOptions.builder().redis(RedisConfig.of(f.server.uri()))
        .clock(clock).build())) {
      Job first = queue.schedulers().upsert("nightly", Repeat.cron("0 30 2 * * *").tz("Europe/Berlin").limit(5)
          .build(), JobSpec.of("report", null));
      long due = Instant.parse("2026-10-25T00:30:00Z").toEpochMilli();
      assertEquals("repeat:nightly:" + due, first.id());
      assertEquals(JobState.DELAYED, queue.getJobState(first.id()));
      assertEquals((double) due * 4096, f.redis.zscore(f.key("delayed"), first.id()));
      Map<String, String> scheduler = f.redis.hgetall(f.key("repeat:nightly"));
      assertEquals(Map.of("name", "report", "tz", "Europe/Berlin", "pattern", "0 30 2 * * *", "limit", "5",
          "offset", "0", "ic", "1"), scheduler);
      JsonNode opts = Json.tree(first.optionsJson(), "opts");
      assertEquals(due, opts.get("prevMillis").asLong());
      assertEquals(due - clock.millis(), opts.get("delay").asLong());
      assertEquals("Europe/Berlin", opts.get("repeat").get("tz").asText());
      assertEquals(5, opts.get("repeat").get("limit").asInt());
      assertFalse(opts.has("attempts"));
      assertEquals(List.of("added", "delayed"), f.eventNamesOf(first.id()));
    }
  }

  @Test
  void workerCreatesTheNextRunWhenItStartsTheCurrentOne() {
    List<String> seenNext = new CopyOnWriteArrayList<>();
    List<String> ran = new CopyOnWriteArrayList<>();
    f.worker(job -> {
      ran.add(job.id());
      if (schedulers.get("beat").map(s -> !s.nextJobId().equals(job.id())).orElse(false)) {
        seenNext.add(job.id());
      }
      return null;
    });
    schedulers.upsert("beat", Repeat.every(Duration.ofMillis(500)).limit(3).build(),
        JobSpec.of("beat", Map.of("n", 7)));
    WorkerFixture.await(() -> ran.size() == 3, "three runs");
    long first = Long.parseLong(ran.get(0).substring("repeat:beat:".length()));
    for (int i = 1; i < 3; i++) {
      long gap = Long.parseLong(ran.get(i).substring("repeat:beat:".length())) - first;
      // One interval apart when on time; a run started late skips the slots it missed, staying aligned.
      assertTrue(gap > 0 && gap % 500 == 0, "run " + ran.get(i) + " after " + ran.get(0));
      first = Long.parseLong(ran.get(i).substring("repeat:beat:".length()));
    }
    assertEquals(ran.subList(0, 2), seenNext, "each run but the last found its successor already created");
    assertEquals("3", f.redis.hget(f.key("repeat:beat"), "ic"));
    assertEquals(3, Json.tree(f.hash(ran.get(2)).get("opts"), "opts").get("repeat").get("count").asInt());
    assertEquals("{\"n\":7}", f.hash(ran.get(2)).get("data"));
  }

  @Test
  void limitStopsTheScheduleAfterThatManyRuns() throws Exception {
    schedulers.upsert("three", Repeat.every(Duration.ofMillis(100)).limit(3).build(), null);
    List<String> ran = new CopyOnWriteArrayList<>();
    f.worker(job -> ran.add(job.id()));
    WorkerFixture.await(() -> ran.size() == 3, "three runs");
    Thread.sleep(400);
    assertEquals(3, ran.size());
    assertEquals(3, f.redis.zrange(f.key("completed"), 0, -1).size());
    assertEquals(0, f.redis.zcard(f.key("delayed")));
  }

  @Test
  void noRunIsDueAfterTheEndDate() throws Exception {
    long end = System.currentTimeMillis() + 650;
    schedulers.upsert("short", Repeat.every(Duration.ofMillis(200)).endDate(Instant.ofEpochMilli(end))
        .build(), null);
    List<Long> dues = new CopyOnWriteArrayList<>();
    f.worker(job -> dues.add(Long.parseLong(job.id().substring("repeat:short:".length()))));
    Thread.sleep(1_300);
    assertTrue(dues.size() >= 3 && dues.size() <= 4, "runs: " + dues);
    for (long due : dues) {
      assertTrue(due <= end, "run due at " + due + " after end " + end);
    }
    assertEquals(0, f.redis.zcard(f.key("delayed")));
  }

  @Test
  void concurrentUpsertsOfOneIdLeaveExactlyOnePendingRun() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int n = t;
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < 5; i++) {
          Repeat repeat = (n + i) % 2 == 0 ? Repeat.every(Duration.ofSeconds(30 + n)).build()
              : Repeat.cron("0 0 " + (n + 1) + " * * *").tz("UTC").build();
          schedulers.upsert("contended", repeat, JobSpec.of("c", Map.of("writer", n)));
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> future : done) {
      future.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    List<String> runs = new ArrayList<>();
    runs.addAll(f.redis.zrange(f.key("delayed"), 0, -1));
    runs.addAll(f.redis.lrange(f.key("wait"), 0, -1));
    runs.addAll(f.redis.zrange(f.key("prioritized"), 0, -1));
    assertEquals(1, runs.size(), "pending runs: " + runs);
    long score = f.redis.zscore(f.key("repeat"), "contended").longValue();
    assertEquals("repeat:contended:" + score, runs.get(0));
    assertEquals(1, f.redis.keys(f.key("repeat:contended:*")).size(), "no orphan iteration hashes");
    assertEquals("40", f.redis.get(f.key("id")), "one counter step per upsert");
  }

  @Test
  void upsertReplacesThePendingRunAndKeepsTheSlotOfAnUnchangedEvery() {
    Job first = schedulers.upsert("s", Repeat.every(Duration.ofSeconds(60)).offset(Duration.ofSeconds(7))
        .build(), JobSpec.of("v1", null));
    assertEquals(JobState.DELAYED, f.queue.getJobState(first.id()));
    Job second = schedulers.upsert("s", Repeat.every(Duration.ofSeconds(60)).offset(Duration.ofSeconds(7))
        .build(), JobSpec.of("v2", null));
    assertEquals(first.id(), second.id(), "same interval: the pending run keeps its slot");
    assertEquals("v2", f.hash(second.id()).get("name"));
    Job third = schedulers.upsert("s", Repeat.every(Duration.ofSeconds(90)).build(), JobSpec.of("v3", null));
    assertTrue(f.queue.getJob(first.id()).isEmpty(), "the replaced run is gone");
    assertEquals(0, f.redis.zcard(f.key("delayed")));
    assertEquals(List.of(third.id()), f.redis.lrange(f.key("wait"), 0, -1), "a new interval starts at once");
  }

  @Test
  void manyWorkersRacingCreateOneJobPerSlot() throws Exception {
    schedulers.upsert("race", Repeat.every(Duration.ofMillis(60)).build(), null);
    List<String> ran = new CopyOnWriteArrayList<>();
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      workers.add(f.worker(job -> ran.add(job.id()), f.options().concurrency(4)));
    }
    WorkerFixture.await(() -> ran.size() >= 12, "12 runs");
    schedulers.remove("race");
    workers.forEach(Worker::close);
    Set<String> unique = new TreeSet<>(ran);
    assertEquals(ran.size(), unique.size(), "no run twice: " + ran);
    List<Long> slots = unique.stream().map(id -> Long.parseLong(id.substring("repeat:race:".length()))).sorted()
        .toList();
    for (int i = 1; i < slots.size(); i++) {
      assertEquals(0, (slots.get(i) - slots.get(0)) % 60, "slots stay aligned: " + slots);
    }
    assertEquals(ran.size(), f.redis.zcard(f.key("completed")), "every run completed once");
  }

  @Test
  void removingASchedulerDeletesItsDelayedRun() {
    Job pending = schedulers.upsert("gone", Repeat.cron("0 0 0 1 1 *").tz("UTC").build(), null);
    assertEquals(1, schedulers.count());
    assertTrue(schedulers.remove("gone"));
    assertFalse(schedulers.remove("gone"));
    assertTrue(f.queue.getJob(pending.id()).isEmpty());
    assertTrue(schedulers.get("gone").isEmpty());
    assertEquals(0, f.redis.exists(f.key("repeat:gone")));
    Map<String, String> removed = f.eventsOf(pending.id()).get(2);
    assertEquals(Map.of("event", "removed", "jobId", pending.id(), "prev", "delayed"), removed);
  }

  @Test
  void schedulersAreReadBackWithTheirDefinitionAndNextRun() {
    Instant end = Instant.now().plus(Duration.ofDays(30));
    schedulers.upsert("b", Repeat.cron("0 0 12 * * *").tz("Asia/Tokyo").limit(9).endDate(end).build(),
        JobSpec.of("noon", Map.of("k", "v"), JobOptions.builder().priority(3).build()));
    Job a = schedulers.upsert("a", Repeat.every(Duration.ofHours(1)).offset(Duration.ofMinutes(5)).build(),
        null);
    JobScheduler b = schedulers.get("b").orElseThrow();
    assertEquals("noon", b.name());
    assertEquals("0 0 12 * * *", b.pattern().orElseThrow());
    assertEquals("Asia/Tokyo", b.tz().orElseThrow());
    assertEquals(9, b.limit().getAsInt());
    assertEquals(end.toEpochMilli(), b.endDate().orElseThrow().toEpochMilli());
    assertEquals(Map.of("k", "v"), b.data(Map.class));
    assertEquals(3, b.templateOptions().priority());
    assertEquals(1, b.iterationCount());
    JobScheduler aRead = schedulers.get("a").orElseThrow();
    assertEquals(a.id(), aRead.nextJobId());
    assertEquals(300_000, aRead.offset().getAsLong());
    List<String> order = schedulers.list().stream().map(JobScheduler::id).toList();
    assertEquals(aRead.next().isBefore(b.next()) ? List.of("a", "b") : List.of("b", "a"), order);
    assertEquals(1, schedulers.list(0, 0, false).size());
    assertEquals(2, schedulers.count());
  }

  @Test
  void triggerRunsTheTemplateNowWithoutShiftingTheSchedule() {
    Job pending = schedulers.upsert("t", Repeat.cron("0 0 0 1 1 *").tz("UTC").build(),
        JobSpec.of("yearly", Map.of("x", 1), JobOptions.builder().priority(2).build()));
    Job extra = schedulers.trigger("t").orElseThrow();
    assertEquals("yearly", extra.name());
    assertEquals("{\"x\":1}", extra.dataJson());
    assertEquals(JobState.PRIORITIZED, f.queue.getJobState(extra.id()));
    assertTrue(extra.repeatJobKey().isEmpty(), "an extra run is not an iteration and produces none");
    assertEquals(pending.id(), schedulers.get("t").orElseThrow().nextJobId());
    assertEquals(JobState.DELAYED, f.queue.getJobState(pending.id()));
    assertTrue(schedulers.trigger("missing").isEmpty());
  }

  @Test
  void scheduleAtRunsTheJobAtThatTimeAndCancelDelayedStopsIt() {
    long now = System.currentTimeMillis();
    Job timer = schedulers.scheduleAt("ping", Map.of(), Instant.ofEpochMilli(now + 60_000), null);
    assertEquals(JobState.DELAYED, f.queue.getJobState(timer.id()));
    long due = (long) (f.redis.zscore(f.key("delayed"), timer.id()) / 4096);
    assertTrue(Math.abs(due - (now + 60_000)) < 50, "due " + due);
    assertTrue(schedulers.cancelDelayed(timer.id()));
    assertFalse(schedulers.cancelDelayed(timer.id()));
    assertEquals(JobState.UNKNOWN, f.queue.getJobState(timer.id()));
    assertEquals("removed", f.eventNamesOf(timer.id()).get(2));

    Job past = schedulers.scheduleAt("now", Map.of(), Instant.ofEpochMilli(now - 5_000), null);
    assertEquals(JobState.WAITING, f.queue.getJobState(past.id()));
    assertFalse(schedulers.cancelDelayed(past.id()), "a job that is no longer delayed is left alone");
    assertEquals(JobState.WAITING, f.queue.getJobState(past.id()));

    Job iteration = schedulers.upsert("it", Repeat.cron("0 0 0 1 1 *").tz("UTC").build(), null);
    assertThrows(JobStateException.class, () -> schedulers.cancelDelayed(iteration.id()));
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsWritten() {
    Repeat hourly = Repeat.every(Duration.ofHours(1)).build();
    assertEquals("schedulerId", assertThrows(InvalidOptionException.class,
        () -> schedulers.upsert("a:b", hourly, null)).field());
    assertEquals("schedulerId", assertThrows(InvalidOptionException.class,
        () -> schedulers.upsert("", hourly, null)).field());
    assertEquals("repeat", assertThrows(InvalidOptionException.class,
        () -> schedulers.upsert("x", null, null)).field());
    assertEquals("endDate", assertThrows(InvalidOptionException.class, () -> schedulers.upsert("x",
        Repeat.every(Duration.ofHours(1)).endDate(Instant.now().minusSeconds(1)).build(), null)).field());
    assertEquals("pattern", assertThrows(InvalidOptionException.class, () -> schedulers.upsert("x",
        Repeat.cron("0 0 30 2 *").build(), null)).field());
    assertEquals("template.options.jobId", assertThrows(InvalidOptionException.class,
        () -> schedulers.upsert("x", hourly, JobSpec.of("n", null, JobOptions.builder().jobId("j").build())))
        .field());
    assertEquals("template.options.delay", assertThrows(InvalidOptionException.class,
        () -> schedulers.upsert("x", hourly, JobSpec.of("n", null, JobOptions.builder().delay(5).build())))
        .field());
    assertEquals("at", assertThrows(InvalidOptionException.class,
        () -> schedulers.scheduleAt("n", null, null, null)).field());
    assertEquals("options.delay", assertThrows(InvalidOptionException.class,
        () -> schedulers.scheduleAt("n", null, Instant.now(), JobOptions.builder().delay(10).build())).field());
    assertEquals(0, f.redis.exists(f.key("repeat"), f.key("id")));
    assertNull(f.redis.get(f.key("id")));
  }

  @Test
  void delayedScoreOfTheFirstRunIsItsDueTime() {
    Job first = schedulers.upsert("o", Repeat.every(Duration.ofSeconds(10)).offset(Duration.ofMillis(1234))
        .build(), null);
    long millis = Long.parseLong(first.id().substring("repeat:o:".length()));
    assertEquals(1234, millis % 10_000);
    List<ScoredValue<String>> delayed = f.redis.zrangeWithScores(f.key("delayed"), 0, -1);
    assertEquals(millis * 4096, (long) delayed.get(0).getScore());
  }
}
