package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.JobStateException;
import io.bullpen.scheduler.Repeat;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scheduler driven through a real worker with an injected clock, across daylight-saving changes: each run is
 * started by the worker (which creates the next one), then the clock jumps to the next run's due time. No waiting
 * for real time, so a year's transitions take milliseconds.
 */
@RedisTest
class JobSchedulerClockTest {
  private WorkerFixture f;
  private TestClock clock;
  private Queue queue;

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
    clock = new TestClock(0);
    queue = new Queue(f.queueName, QueueOptions.builder().redis(RedisConfig.of(server.uri())).clock(clock).build());
  }

  @AfterEach
  void tearDown() {
    queue.close();
    f.close();
  }

  /** Upserts at {@code start}, then lets a worker run {@code count} runs; returns their due times. */
  private List<String> runs(String start, Repeat repeat, int count) {
    clock.set(Instant.parse(start).toEpochMilli());
    String next = queue.schedulers().upsert("s", repeat, null).id();
    List<String> started = new CopyOnWriteArrayList<>();
    // The worker's own scheduler stays off: with a hand-moved clock the test decides when runs are due.
    f.worker(job -> started.add(job.id()), f.options().clock(clock).runQueueScheduler(false));
    List<String> dues = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long due = Long.parseLong(next.substring("repeat:s:".length()));
      dues.add(Instant.ofEpochMilli(due).toString());
      clock.set(due + 1_000);
      try {
        queue.promote(next);
      } catch (JobStateException alreadyPromoted) {
        // The worker's own fetch saw it due on the moved clock first.
      }
      int expected = i + 1;
      WorkerFixture.await(() -> started.size() == expected, "run " + expected);
      String current = next;
      WorkerFixture.await(() -> !queue.schedulers().get("s").orElseThrow().nextJobId().equals(current)
          || expected == count, "the run after " + current);
      next = queue.schedulers().get("s").orElseThrow().nextJobId();
    }
    return dues;
  }

  @Test
  void dailyRunInBerlinNeitherSkipsNorDoublesWhenClocksJumpForward() {
    assertEquals(List.of("2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z",
        "2026-03-31T00:30:00Z"),
        runs("2026-03-27T12:00:00Z", Repeat.cron("0 30 2 * * *").tz("Europe/Berlin").build(), 4));
  }

  @Test
  void dailyRunInBerlinRunsOnceWhenTheHourRepeats() {
    assertEquals(List.of("2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z",
        "2026-10-27T01:30:00Z"),
        runs("2026-10-23T12:00:00Z", Repeat.cron("30 2 * * *").tz("Europe/Berlin").build(), 4));
  }

  @Test
  void hourlyRunsKeepOneHourApartThroughTheRepeatedHour() {
    assertEquals(List.of("2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z",
        "2026-10-25T03:00:00Z"),
        runs("2026-10-24T23:30:00Z", Repeat.cron("0 0 * * * *").tz("Europe/Berlin").build(), 4));
  }

  @Test
  void zoneWithoutDaylightSavingKeepsItsUtcTime() {
    assertEquals(List.of("2026-03-28T17:00:00Z", "2026-03-29T17:00:00Z", "2026-03-30T17:00:00Z"),
        runs("2026-03-28T12:00:00Z", Repeat.cron("0 0 2 * * *").tz("Asia/Tokyo").build(), 3));
  }

  @Test
  void limitCountsRunsCreatedByWorkers() {
    List<String> dues = runs("2026-01-01T00:00:00Z", Repeat.cron("0 0 * * * *").tz("UTC").limit(3).build(), 3);
    assertEquals(List.of("2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z", "2026-01-01T03:00:00Z"), dues);
    assertEquals("repeat:s:" + Instant.parse("2026-01-01T03:00:00Z").toEpochMilli(),
        queue.schedulers().get("s").orElseThrow().nextJobId(), "the third run made no fourth");
    assertEquals(3, queue.schedulers().get("s").orElseThrow().iterationCount());
  }

  @Test
  void endDateStopsTheRunsAfterIt() {
    List<String> dues = runs("2026-01-01T00:00:00Z", Repeat.cron("0 0 * * * *").tz("UTC")
        .endDate(Instant.parse("2026-01-01T02:30:00Z")).build(), 2);
    assertEquals(List.of("2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"), dues);
    assertEquals("repeat:s:" + Instant.parse("2026-01-01T02:00:00Z").toEpochMilli(),
        queue.schedulers().get("s").orElseThrow().nextJobId(), "no run after the end date");
  }
}
