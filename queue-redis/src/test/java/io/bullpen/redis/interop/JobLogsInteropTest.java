package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.JobOptions;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Job logs written by a processor under each {@code keepLogs} setting: BullMQ's Worker processes the jobs on one
 * queue, Bullpen's on another, and the {@code :logs} lists are compared. BullMQ treats {@code keepLogs: 0} like
 * no setting at all and keeps every line.
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobLogsInteropTest {
  private static final String LOGS = "{\"logs\":[\"one\",\"two\",\"three\",\"four\",\"five\"]}";
  private static final List<AddSpec> JOBS = List.of(
      AddSpec.of("keep-unset", LOGS, "{}", JobOptions.defaults()),
      AddSpec.of("keep-zero", LOGS, "{\"keepLogs\":0}", JobOptions.builder().keepLogs(0).build()),
      AddSpec.of("keep-two", LOGS, "{\"keepLogs\":2}", JobOptions.builder().keepLogs(2).build()),
      AddSpec.of("keep-more", LOGS, "{\"keepLogs\":10}", JobOptions.builder().keepLogs(10).build()));

  private final String suffix = UUID.randomUUID().toString();
  private final QueueKeys nodeKeys = new QueueKeys("bull", QueueNames.tagged("logs-node-" + suffix));
  private final QueueKeys javaKeys = new QueueKeys("bull", QueueNames.tagged("logs-java-" + suffix));
  private final Map<String, List<String>> nodeLogs = new LinkedHashMap<>();
  private final Map<String, List<String>> javaLogs = new LinkedHashMap<>();
  private final Map<String, String> nodeOpts = new LinkedHashMap<>();
  private final Map<String, String> javaOpts = new LinkedHashMap<>();

  @BeforeAll
  void processOnBothSides(RunningRedis redis) {
    if (!NodeSide.available()) {
      return; // each test is then skipped by requireNode(), with the reason
    }
    NodeSide node = new NodeSide(redis, "bull");
    Map<String, String> nodeIds = new LinkedHashMap<>();
    for (JsonNode fact : node.produce(nodeKeys.queueName(), JOBS).ofType("added")) {
      nodeIds.put(JOBS.get(fact.path("index").asInt()).name(), fact.path("id").asText());
    }
    node.work(nodeKeys.queueName(), JOBS.size());
    Map<String, String> javaIds;
    try (JavaSide java = new JavaSide(redis, "bull", javaKeys.queueName())) {
      javaIds = java.addAll(JOBS);
      java.work(JOBS.size(), Duration.ofSeconds(20));
    }
    try (RedisInspector inspector = new RedisInspector(redis)) {
      nodeIds.forEach((name, id) -> {
        nodeLogs.put(name, inspector.list(nodeKeys.logsKey(id)));
        nodeOpts.put(name, inspector.jobHash(nodeKeys, id).get("opts"));
      });
      javaIds.forEach((name, id) -> {
        javaLogs.put(name, inspector.list(javaKeys.logsKey(id)));
        javaOpts.put(name, inspector.jobHash(javaKeys, id).get("opts"));
      });
    }
  }

  @BeforeEach
  void requireNode() {
    NodeSide.assumeAvailable();
  }

  @Test
  void keepLogsZeroKeepsEveryLineAsBullMqDoes() {
    assertEquals(List.of("one", "two", "three", "four", "five"), nodeLogs.get("keep-zero"), "BullMQ's own result");
    assertEquals(nodeLogs.get("keep-zero"), javaLogs.get("keep-zero"));
  }

  @Test
  void everyKeepLogsSettingLeavesTheSameLogAsBullMq() {
    assertEquals(nodeLogs, javaLogs);
  }

  @Test
  void keepLogsIsStoredTheSameWay() {
    assertEquals(nodeOpts.get("keep-zero").contains("\"kl\":0"), javaOpts.get("keep-zero").contains("\"kl\":0"),
        "node " + nodeOpts + ", java " + javaOpts);
  }
}
