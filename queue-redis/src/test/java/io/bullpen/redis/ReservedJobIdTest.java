package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.FlowNode;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.JobParent;
import io.bullpen.JobSpec;
import io.bullpen.LeaseFailure;
import io.bullpen.redis.internal.keys.KnownKeySuffixes;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A job id that names one of the queue's own keys ({@code meta}, {@code wait}, {@code de:x}, {@code bp:config},
 * ...; every suffix {@link KnownKeySuffixes} finds) is refused by every entry that takes an id, naming the field
 * and the value, and Redis is left exactly as it was.
 */
@RedisTest
class ReservedJobIdTest {
  private RedisProbe probe;
  private String name;
  private Queue queue;
  private FlowProducer flows;

  @BeforeEach
  void open(RunningRedis redis) {
    probe = new RedisProbe(redis);
    name = RedisProbe.uniqueQueueName();
    queue = new Queue(name, probe.options().build());
    flows = new FlowProducer(FlowProducerOptions.of(RedisConfig.of(probe.uri)));
    queue.add("existing", Map.of("a", 1)); // job 1, so the id counter and the queue keys exist
  }

  @AfterEach
  void close() {
    flows.close();
    queue.close();
    probe.close();
  }

  @Test
  void everyQueueKeyIsRefusedAsTheIdOfAnAddedJobAndNothingIsWritten() {
    Set<String> suffixes = KnownKeySuffixes.all();
    Map<String, String> before = snapshot();
    for (String id : suffixes) {
      JobOptions options;
      try {
        options = JobOptions.builder().jobId(id).build();
      } catch (InvalidOptionException refusedByBullMqRules) { // e.g. "de:x": ':' only in the form a:b:c
        assertEquals("jobId", refusedByBullMqRules.field());
        continue;
      }
      rejects("jobId", id, () -> queue.add("x", Map.of(), options));
      rejects("jobId", id, () -> queue.addAsync("x", Map.of(), options));
      rejects("jobs[1].options.jobId", id,
          () -> queue.addBulk(List.of(JobSpec.of("ok", null), JobSpec.of("x", null, options))));
      rejects("flow.options.jobId", id, () -> flows.add(FlowNode.builder("x", name).options(options).build()));
      rejects("flow.children[0].options.jobId", id, () -> flows.add(FlowNode.builder("p", name)
          .child(FlowNode.builder("c", name).options(options).build()).build()));
      rejects("jobId", id, () -> queue.schedulers().scheduleAt("x", null, Instant.now().plusSeconds(60), options));
    }
    assertEquals(before, snapshot(), "Redis after every refused add");
  }

  @Test
  void everyQueueKeyIsRefusedWhereverAnIdNamesAnExistingJob() {
    Map<String, String> before = snapshot();
    for (String id : KnownKeySuffixes.all()) {
      rejects("jobId", id, () -> queue.getJob(id));
      rejects("jobId", id, () -> queue.getJobState(id));
      rejects("jobId", id, () -> queue.getJobLogs(id));
      rejects("jobId", id, () -> queue.remove(id));
      rejects("jobId", id, () -> queue.promote(id));
      rejects("jobId", id, () -> queue.changePriority(id, 1, false));
      rejects("jobId", id, () -> queue.changeDelay(id, 10));
      rejects("jobId", id, () -> queue.updateData(id, Map.of()));
      rejects("jobId", id, () -> queue.cancelJob(id, "no"));
      rejects("jobId", id, () -> queue.schedulers().cancelDelayed(id));
      rejects("jobId", id, () -> queue.leases().ack("owner", List.of("1", id)));
      rejects("jobId", id, () -> queue.leases().ack("owner", Map.of(id, "done")));
      rejects("jobId", id, () -> queue.leases().fail("owner", List.of(LeaseFailure.of(id, new RuntimeException()))));
      rejects("jobId", id, () -> queue.leases().abandon("owner", List.of(id)));
      rejects("jobId", id, () -> queue.leases().extend("owner", List.of(id), Duration.ofSeconds(1)));
      rejects("jobId", id, () -> flows.getFlow(name, id));
      JobOptions child = JobOptions.builder().parent(new JobParent(id, "bull:" + name)).build();
      rejects("parent.id", id, () -> queue.add("child", null, child));
    }
    assertEquals(before, snapshot(), "Redis after every refused call");
  }

  private static void rejects(String field, String id, Executable call) {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, call, field + " = " + id);
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().contains("\"" + id + "\""), e.getMessage());
  }

  /** Every key of the queue with its type and content, as text. */
  private Map<String, String> snapshot() {
    Map<String, String> keys = new TreeMap<>();
    for (String key : probe.redis.keys("bull:" + name + ":*")) {
      String type = probe.redis.type(key);
      String content = switch (type) {
        case "hash" -> new TreeMap<>(probe.redis.hgetall(key)).toString();
        case "list" -> probe.redis.lrange(key, 0, -1).toString();
        case "zset" -> probe.redis.zrangeWithScores(key, 0, -1).toString();
        case "string" -> probe.redis.get(key);
        case "stream" -> Long.toString(probe.redis.xlen(key));
        default -> type;
      };
      keys.put(key, type + " " + content);
    }
    return keys;
  }
}
