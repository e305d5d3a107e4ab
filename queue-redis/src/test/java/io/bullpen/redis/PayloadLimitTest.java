package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.bullpen.BullpenException;
import io.bullpen.FlowNode;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.scheduler.Repeat;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * One payload limit, {@link RedisConfig#maxPayloadBytes()}, on both sides: nothing larger is added, and anything
 * added is readable by a reader with the same limit (which Jackson's own default reading limit did not promise).
 */
@RedisTest
class PayloadLimitTest {
  private static final int LIMIT = 10_000;
  /** {"s":"..."}: 8 bytes around the string. */
  private static final int WRAPPING = 8;

  private RedisProbe probe;
  private String name;
  private String k;
  private RedisConfig limited;
  private Queue queue;

  @BeforeEach
  void open(RunningRedis redis) {
    probe = new RedisProbe(redis);
    name = RedisProbe.uniqueQueueName();
    k = "bull:" + name + ":";
    limited = RedisConfig.builder().uri(redis.uri()).maxPayloadBytes(LIMIT).build();
    queue = new Queue(name, QueueOptions.of(limited));
  }

  @AfterEach
  void close() {
    queue.close();
    probe.close();
  }

  @Test
  void theDefaultLimitIsWhatJacksonReadsByDefault() {
    assertEquals(20_000_000, RedisConfig.of(probe.uri).maxPayloadBytes());
    assertTrue(StreamReadConstraints.defaults().getMaxStringLength() >= 20_000_000);
    rejects("maxPayloadBytes", "0", () -> RedisConfig.builder().maxPayloadBytes(0));
    rejects("maxPayloadBytes", "536870913", () -> RedisConfig.builder().maxPayloadBytes(512 * 1024 * 1024 + 1));
  }

  @Test
  void dataOfExactlyTheLimitIsAddedAndReadBackOneByteMoreIsRefusedEverywhere() {
    String fits = "x".repeat(LIMIT - WRAPPING);
    Job job = queue.add("big", Map.of("s", fits));
    assertEquals(fits, queue.getJob(job.id()).orElseThrow().data(Map.class).get("s"));
    assertEquals(LIMIT, probe.redis.hget(k + job.id(), "data").length());

    Map<String, String> tooBig = Map.of("s", fits + "é"); // one char, two bytes
    Map<String, String> before = Map.of("id", probe.redis.get(k + "id"));
    rejects("data", "maxPayloadBytes " + LIMIT, () -> queue.add("big", tooBig));
    rejects("jobs[0].data", "maxPayloadBytes", () -> queue.addBulk(List.of(JobSpec.of("big", tooBig))));
    rejects("data", "maxPayloadBytes", () -> queue.updateData(job.id(), tooBig));
    rejects("template.data", "maxPayloadBytes",
        () -> queue.schedulers().upsert("s", Repeat.every(Duration.ofMinutes(1)).build(), JobSpec.of("big", tooBig)));
    try (FlowProducer flows = new FlowProducer(FlowProducerOptions.of(limited))) {
      rejects("flow.children[0].data", "maxPayloadBytes", () -> flows.add(FlowNode.builder("p", name)
          .child(FlowNode.of("c", name, tooBig)).build()));
    }
    assertEquals(before, Map.of("id", probe.redis.get(k + "id")), "no add reached Redis");
    assertEquals(0, probe.redis.exists(k + "repeat"));
  }

  @Test
  void aSmallerSizeLimitOfTheJobWinsAndALargerOneIsHeldToTheLimit() {
    rejects("data", "sizeLimit 100", () -> queue.add("x", Map.of("s", "y".repeat(100)),
        JobOptions.builder().sizeLimit(100).build()));
    rejects("data", "maxPayloadBytes " + LIMIT, () -> queue.add("x", Map.of("s", "y".repeat(LIMIT)),
        JobOptions.builder().sizeLimit(LIMIT * 10).build()));
  }

  @Test
  void aReaderRefusesAStringLongerThanItsLimitWithAClearErrorAndALargerLimitReadsIt() {
    // As a producer with a larger limit (or a Node producer) would have written it.
    String longString = "z".repeat(LIMIT + 1);
    probe.redis.hset(k + "big", Map.of("name", "big", "data", "{\"s\":\"" + longString + "\"}", "opts", "{}"));
    Job stored = queue.getJob("big").orElseThrow();
    BullpenException e = assertThrows(BullpenException.class, () -> stored.data(Map.class));
    assertTrue(e.getMessage().contains("data of job big") && e.getMessage().contains(Integer.toString(LIMIT)),
        e.getMessage());
    RedisConfig larger = RedisConfig.builder().uri(probe.uri).maxPayloadBytes(2 * LIMIT).build();
    try (Queue reader = new Queue(name, QueueOptions.of(larger))) {
      assertEquals(longString, reader.getJob("big").orElseThrow().data(Map.class).get("s"));
    }
  }

  @Test
  void rawJsonMustBeExactlyOneValueAsNodeReadsIt() {
    rejects("data", "\"\"", () -> RawJson.of(""));
    rejects("data", "{} {}", () -> RawJson.of("{} {}"));
    rejects("data", "[1] x", () -> RawJson.of("[1] x"));
    assertEquals(" {\"a\":1} ", RawJson.of(" {\"a\":1} ").json());
  }

  private static void rejects(String field, String text, Executable call) {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, call, field);
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().contains(text), "message should name " + text + ": " + e.getMessage());
  }
}
