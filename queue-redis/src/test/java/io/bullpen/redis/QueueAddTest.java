package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.Backoff;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.KeepJobs;
import io.bullpen.event.QueueListener;
import io.bullpen.redis.internal.codec.LibraryVersion;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.ScoredValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RedisTest
class QueueAddTest {
  static final long T0 = 1_795_336_181_623L;
  static final long TWO_POW_32 = 4_294_967_296L;
  private static final ObjectMapper JSON = new ObjectMapper();

  record Welcome(String email, int attempt) {}

  private RedisProbe probe;
  private String name;
  private String k;
  private TestClock clock;
  private Queue queue;

  @BeforeEach
  void open(RunningRedis redis) {
    probe = new RedisProbe(redis);
    name = RedisProbe.uniqueQueueName();
    k = "bull:" + name + ":";
    clock = new TestClock(T0);
    queue = new Queue(name, probe.options().clock(clock).build());
  }

  @AfterEach
  void close() {
    queue.close();
    probe.close();
  }

  @Test
  void constructionWritesEventsCapAndVersionAndKeepsOtherMetaFields() {
    String other = RedisProbe.uniqueQueueName();
    probe.redis.hset("bull:" + other + ":meta", Map.of("concurrency", "3", "version", "bullmq:6.7.0"));
    try (Queue q = new Queue(other, probe.options().maxLenEvents(500).build())) {
      Map<String, String> meta = probe.redis.hgetall("bull:" + other + ":meta");
      assertEquals(Map.of("concurrency", "3", "opts.maxLenEvents", "500",
          "version", "bullpen:" + LibraryVersion.VERSION), meta);
      assertFalse(LibraryVersion.VERSION.contains("$"), LibraryVersion.VERSION);
    }
  }

  @Test
  void standardAddWritesTheBullmqHashMarkerAndEvents() throws Exception {
    Job job = queue.add("std", Map.of("a", 1));

    assertEquals("1", job.id());
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("name", "std");
    expected.put("data", "{\"a\":1}");
    expected.put("opts", "{\"attempts\":0}");
    expected.put("timestamp", Long.toString(T0));
    expected.put("delay", "0");
    expected.put("priority", "0");
    assertEquals(expected, probe.redis.hgetall(k + "1"));
    assertEquals(expected, job.rawFields());
    assertEquals(List.of("1"), probe.redis.lrange(k + "wait", 0, -1));
    assertEquals(List.of(ScoredValue.just(0, "0")), probe.redis.zrangeWithScores(k + "marker", 0, -1));
    assertEquals("1", probe.redis.get(k + "id"));

    List<RedisProbe.Event> events = probe.events(k + "events");
    assertEquals(2, events.size());
    assertEquals(List.of("event", "jobId", "name"), new ArrayList<>(events.get(0).fields().keySet()));
    assertEquals(Map.of("event", "added", "jobId", "1", "name", "std"), events.get(0).fields());
    assertEquals(List.of("event", "jobId"), new ArrayList<>(events.get(1).fields().keySet()));
    assertEquals(Map.of("event", "waiting", "jobId", "1"), events.get(1).fields());

    assertEquals("std", job.name());
    assertEquals(name, job.queueName());
    assertEquals(T0, job.timestamp());
    assertEquals(JSON.readTree("{\"a\":1}"), JSON.readTree(job.dataJson()));
  }

  @Test
  void fifoJobsArePushedLeftAndLifoJobsRightSoLifoRunsFirst() {
    queue.add("a", null);
    queue.add("b", null);
    queue.add("c", null, JobOptions.builder().lifo(true).build());

    // Workers take from the right end.
    assertEquals(List.of("2", "1", "3"), probe.redis.lrange(k + "wait", 0, -1));
    assertEquals("{\"lifo\":true,\"attempts\":0}", probe.redis.hget(k + "3", "opts"));
    assertEquals("{}", probe.redis.hget(k + "1", "data"));
  }

  @Test
  void prioritizedScoreIsPriorityTimesTwoPow32PlusCounter() {
    queue.add("p5", null, JobOptions.builder().priority(5).build());
    queue.add("p5", null, JobOptions.builder().priority(5).lifo(true).build());
    queue.add("p1", null, JobOptions.builder().priority(1).build());

    assertEquals(5 * TWO_POW_32 + 1, probe.redis.zscore(k + "prioritized", "1").longValue());
    assertEquals(5 * TWO_POW_32 + 2, probe.redis.zscore(k + "prioritized", "2").longValue());
    assertEquals(TWO_POW_32 + 3, probe.redis.zscore(k + "prioritized", "3").longValue());
    assertEquals(21474836481L, 5 * TWO_POW_32 + 1); // the value observed with BullMQ
    assertEquals("3", probe.redis.get(k + "pc"));
    assertEquals(0, probe.redis.llen(k + "wait"));
    assertEquals("5", probe.redis.hget(k + "1", "priority"));
    assertEquals(List.of(ScoredValue.just(0, "0")), probe.redis.zrangeWithScores(k + "marker", 0, -1));
    assertEquals(List.of("added", "waiting", "added", "waiting", "added", "waiting"), probe.eventNames(k + "events"));
  }

  @Test
  void delayedScoreIsDueTimes4096PlusSequenceAndTheDelayMarkerHoldsTheDueTime() {
    queue.add("d", null, JobOptions.builder().delay(60_000).build());
    queue.add("d", null, JobOptions.builder().delay(60_000).priority(3).build());
    queue.add("later", null, JobOptions.builder().delay(120_000).build());

    long due = T0 + 60_000;
    assertEquals(due * 4096, probe.redis.zscore(k + "delayed", "1").longValue());
    assertEquals(due * 4096 + 1, probe.redis.zscore(k + "delayed", "2").longValue());
    assertEquals((T0 + 120_000) * 4096, probe.redis.zscore(k + "delayed", "3").longValue());
    assertEquals("60000", probe.redis.hget(k + "1", "delay"));
    assertEquals("3", probe.redis.hget(k + "2", "priority"));
    assertEquals(0, probe.redis.llen(k + "wait"));
    assertEquals(0, probe.redis.zcard(k + "prioritized"));
    // Only the delay marker: member "1" scored with the earliest due time.
    List<ScoredValue<String>> marker = probe.redis.zrangeWithScores(k + "marker", 0, -1);
    assertEquals(1, marker.size());
    assertEquals("1", marker.get(0).getValue());
    assertEquals((double) due, marker.get(0).getScore(), 0.001);

    List<RedisProbe.Event> events = probe.events(k + "events");
    assertEquals(List.of("added", "delayed", "added", "delayed", "added", "delayed"),
        events.stream().map(RedisProbe.Event::name).toList());
    assertEquals(List.of("event", "jobId", "delay"), new ArrayList<>(events.get(1).fields().keySet()));
    assertEquals(Long.toString(due), events.get(1).get("delay"));
    assertEquals(Long.toString(T0 + 120_000), events.get(5).get("delay"));
  }

  @Test
  void delayIsCountedFromTheJobTimestampOption() {
    long ts = T0 - 30_000;
    queue.add("d", null, JobOptions.builder().delay(60_000).timestamp(ts).build());
    assertEquals((ts + 60_000) * 4096, probe.redis.zscore(k + "delayed", "1").longValue());
    assertEquals(Long.toString(ts), probe.redis.hget(k + "1", "timestamp"));
  }

  @Test
  void optsJsonUsesBullmqShortKeysAndAlwaysHasAttempts() throws Exception {
    queue.add("full", null, JobOptions.builder()
        .attempts(3)
        .backoff(Backoff.exponential(1000).withJitter(0.5))
        .removeOnComplete(KeepJobs.newest(10))
        .removeOnFail(KeepJobs.maxAge(3600, 5))
        .keepLogs(20)
        .stackTraceLimit(4)
        .build());
    JsonNode opts = JSON.readTree(probe.redis.hget(k + "1", "opts"));
    assertEquals(JSON.readTree("{\"kl\":20,\"removeOnFail\":{\"age\":3600,\"count\":5},\"removeOnComplete\":10,"
        + "\"backoff\":{\"type\":\"exponential\",\"delay\":1000,\"jitter\":0.5},\"attempts\":3,"
        + "\"stackTraceLimit\":4}"), opts);
  }

  @Test
  void queueDefaultOptionsAreMergedUnderEachJobsOwnOptions() throws Exception {
    String other = RedisProbe.uniqueQueueName();
    JobOptions defaults = JobOptions.builder().attempts(5).backoff(Backoff.fixed(100)).removeOnComplete(true).build();
    try (Queue q = new Queue(other, probe.options().defaultJobOptions(defaults).build())) {
      Job job = q.add("x", null, JobOptions.builder().attempts(2).build());
      JsonNode opts = JSON.readTree(probe.redis.hget("bull:" + other + ":" + job.id(), "opts"));
      assertEquals(JSON.readTree(
          "{\"attempts\":2,\"backoff\":{\"type\":\"fixed\",\"delay\":100},\"removeOnComplete\":true}"), opts);
      assertEquals(2, job.options().attempts());
      assertEquals(Backoff.fixed(100), job.options().backoff().orElseThrow());
    }
  }

  @Test
  void duplicateCustomIdReturnsTheExistingJobEmitsDuplicatedAndOverwritesNothing() {
    List<Job> heard = new ArrayList<>();
    queue.addListener(new QueueListener() {
      @Override
      public void onWaiting(Job job) {
        heard.add(job);
      }
    });
    Job first = queue.add("first", Map.of("v", 1), JobOptions.builder().jobId("my-job").build());
    Map<String, String> stored = probe.redis.hgetall(k + "my-job");

    Job second = queue.add("second", Map.of("v", 2), JobOptions.builder().jobId("my-job").priority(4).build());

    assertEquals("my-job", first.id());
    assertEquals("my-job", second.id());
    assertEquals("first", second.name());
    assertEquals("{\"v\":1}", second.dataJson());
    assertEquals(stored, probe.redis.hgetall(k + "my-job"));
    assertEquals(stored, second.rawFields());
    assertEquals(List.of("my-job"), probe.redis.lrange(k + "wait", 0, -1));
    assertEquals(0, probe.redis.zcard(k + "prioritized"));
    assertEquals("2", probe.redis.get(k + "id")); // the counter moves on every add
    List<RedisProbe.Event> events = probe.events(k + "events");
    assertEquals(List.of("added", "waiting", "duplicated"), events.stream().map(RedisProbe.Event::name).toList());
    assertEquals(Map.of("event", "duplicated", "jobId", "my-job"), events.get(2).fields());
    assertEquals(1, heard.size());
    assertEquals("my-job", heard.get(0).id());
  }

  @Test
  void dataIsSerialisedWithJacksonAndRawJsonIsStoredVerbatim() throws Exception {
    Job record = queue.add("rec", new Welcome("ann@example.com", 2));
    Job raw = queue.add("raw", RawJson.of("[1, 2,  {\"x\":null}]"));
    Job text = queue.add("text", "plain");

    assertEquals(JSON.readTree("{\"email\":\"ann@example.com\",\"attempt\":2}"),
        JSON.readTree(probe.redis.hget(k + record.id(), "data")));
    assertEquals(new Welcome("ann@example.com", 2), record.data(Welcome.class));
    assertEquals("[1, 2,  {\"x\":null}]", probe.redis.hget(k + raw.id(), "data"));
    assertEquals("\"plain\"", probe.redis.hget(k + text.id(), "data"));
    assertEquals(new Welcome("ann@example.com", 2), queue.getJob(record.id()).orElseThrow().data(Welcome.class));
  }

  @Test
  void aListenerThatThrowsIsLoggedAndTheAddStillSucceeds() {
    List<String> later = new ArrayList<>();
    queue.addListener(new QueueListener() {
      @Override
      public void onWaiting(Job job) {
        throw new IllegalStateException("listener bug");
      }
    });
    queue.addListener(new QueueListener() {
      @Override
      public void onWaiting(Job job) {
        later.add(job.id());
      }
    });
    Job job = queue.add("x", null);
    assertEquals(List.of(job.id()), later);
    assertTrue(probe.redis.exists(k + job.id()) == 1);
  }

  @Test
  void eventsStreamIsCappedApproximatelyAtMaxLenEvents() {
    String other = RedisProbe.uniqueQueueName();
    try (Queue q = new Queue(other, probe.options().maxLenEvents(10).build())) {
      List<JobSpec> specs = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        specs.add(JobSpec.of("x", null));
      }
      q.addBulk(specs);
      long length = probe.redis.xlen("bull:" + other + ":events");
      // MAXLEN ~ trims whole stream nodes only (100 entries each by default), never down to exactly 10.
      assertTrue(length < 4000 && length >= 10, "events length " + length);
    }
  }

  @Test
  void jobsReturnedByAddCarryTheirOptions() {
    Job job = queue.add("x", null, JobOptions.builder().attempts(4).keepLogs(2).build());
    assertEquals(4, job.options().attempts());
    assertEquals(2, job.options().keepLogs().orElseThrow());
    assertNull(probe.redis.get(k + "pc"));
  }
}
