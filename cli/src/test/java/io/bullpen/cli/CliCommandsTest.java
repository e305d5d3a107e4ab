package io.bullpen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.cli.CliRun.Result;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands run in-process against a real Redis, each under a prefix of its own. */
@RedisTest
class CliCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String prefix = "cli" + UUID.randomUUID().toString().substring(0, 8);
  private CliRun cli;
  private Queue queue;

  @BeforeEach
  void setUp(RunningRedis redis) {
    cli = new CliRun(redis.uri()).env("BULLPEN_QUEUE_PREFIX", prefix);
    queue = new Queue("mail", QueueOptions.builder().redis(RedisConfig.of(redis.uri())).prefix(prefix).build());
  }

  @AfterEach
  void tearDown() {
    queue.obliterate(true);
    queue.close();
  }

  private static JsonNode json(Result r) throws Exception {
    assertEquals(0, r.exitCode(), r::toString);
    return JSON.readTree(r.out());
  }

  @Test
  void queuesListsEveryQueueOfThePrefixWithItsCounts() throws Exception {
    queue.add("send", Map.of("to", "a"));
    queue.add("send", Map.of("to", "b"), JobOptions.builder().delay(60_000).build());
    Result table = cli.run("queues");
    assertEquals(0, table.exitCode(), table::toString);
    assertTrue(table.out().lines().anyMatch(l -> l.matches("mail\\s+false\\s+1\\s+0\\s+1\\s+0\\s+0\\s+0\\s+0")),
        table::toString);

    JsonNode rows = json(cli.run("queues", "--json"));
    assertEquals(1, rows.size());
    assertEquals("mail", rows.get(0).get("queue").asText());
    assertEquals(1, rows.get(0).get("delayed").asLong());
  }

  @Test
  void jobsAddListShowRetryPromoteRemove() throws Exception {
    JsonNode added = json(cli.run("jobs", "add", "mail", "send", "--data", "{\"to\":\"x@y\"}", "--opts",
        "{\"attempts\":3,\"jobId\":\"welcome\"}", "--json"));
    assertEquals("welcome", added.get("id").asText());
    assertEquals(3, queue.getJob("welcome").orElseThrow().options().attempts());

    cli.stdin("{\"to\":\"stdin@y\"}");
    Result fromStdin = cli.run("jobs", "add", "mail", "send", "--data", "-");
    assertEquals(0, fromStdin.exitCode(), fromStdin::toString);

    JsonNode listed = json(cli.run("jobs", "list", "mail", "--state", "waiting", "--json"));
    assertEquals(2, listed.size());
    JsonNode shown = json(cli.run("jobs", "show", "mail", "welcome", "--json"));
    assertEquals("x@y", shown.get("data").get("to").asText());
    assertEquals("waiting", shown.get("state").asText());

    JsonNode paged = json(cli.run("jobs", "list", "mail", "--page-size", "1", "--page", "2", "--json"));
    assertEquals(1, paged.size());

    cli.run("jobs", "add", "mail", "later", "--opts", "{\"delay\":600000,\"jobId\":\"later\"}");
    assertEquals(JobState.DELAYED, queue.getJobState("later"));
    assertEquals(0, cli.run("jobs", "promote", "mail", "later").exitCode());
    assertEquals(JobState.WAITING, queue.getJobState("later"));

    assertEquals(0, cli.run("jobs", "remove", "mail", "later").exitCode());
    assertTrue(queue.getJob("later").isEmpty());
    assertEquals(3, cli.run("jobs", "remove", "mail", "later").exitCode());
    assertEquals(3, cli.run("jobs", "show", "mail", "nope").exitCode());
    assertEquals(6, cli.run("jobs", "retry", "mail", "welcome").exitCode(), "a waiting job cannot be retried");
  }

  @Test
  void bulkAddReadsOneJobPerLine(@TempDir Path dir) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 2500; i++) {
      lines.append("{\"name\":\"n\",\"data\":{\"i\":").append(i).append("}}\n");
    }
    Path file = Files.writeString(dir.resolve("jobs.ndjson"), lines);
    JsonNode r = json(cli.run("jobs", "add", "mail", "--bulk", file.toString(), "--json"));
    assertEquals(2500, r.get("added").asInt());
    assertEquals(2500L, queue.getJobCounts(JobState.WAITING).get(JobState.WAITING));

    Result bad = cli.stdin("{\"name\":\"ok\"}\nnot json\n").run("jobs", "add", "mail", "--bulk", "-");
    assertEquals(2, bad.exitCode(), bad::toString);
    assertTrue(bad.err().contains("line 2 is not JSON"), bad::toString);
  }

  @Test
  void pauseResumeDrainCleanAndCancel() throws Exception {
    queue.add("send", Map.of());
    assertEquals(0, cli.run("pause", "mail").exitCode());
    assertTrue(queue.isPaused());
    assertEquals(0, cli.run("resume", "mail").exitCode());
    assertFalse(queue.isPaused());

    assertEquals(0, cli.run("jobs", "cancel", "mail", "1", "--reason", "not wanted").exitCode());
    assertEquals(0, cli.run("drain", "mail").exitCode());
    assertEquals(0L, queue.getJobCounts(JobState.WAITING).get(JobState.WAITING));

    assertEquals(3, cli.run("pause", "no-such-queue").exitCode(), "an unknown queue is not created");
    assertFalse(cli.run("queues").out().contains("no-such-queue"));
  }

  @Test
  void obliterateAsksForTheQueueNameUnlessYes() throws Exception {
    queue.add("send", Map.of());
    Result declined = cli.stdin("nope\n").run("obliterate", "mail");
    assertEquals(6, declined.exitCode(), declined::toString);
    assertEquals(1, queue.getJobCounts(JobState.WAITING).get(JobState.WAITING));

    Result confirmed = cli.stdin("mail\n").run("obliterate", "mail");
    assertEquals(0, confirmed.exitCode(), confirmed::toString);
    assertEquals(0, queue.getJobCounts(JobState.WAITING).get(JobState.WAITING));

    queue.add("send", Map.of());
    assertEquals(0, cli.run("obliterate", "mail", "--yes").exitCode());
  }

  @Test
  void schedulersUpsertListTriggerRemove() throws Exception {
    Result saved = cli.run("schedulers", "upsert", "mail", "digest", "--every", "5m", "--name", "digest",
        "--data", "{\"kind\":\"daily\"}");
    assertEquals(0, saved.exitCode(), saved::toString);
    JsonNode list = json(cli.run("schedulers", "list", "mail", "--json"));
    assertEquals("digest", list.get(0).get("id").asText());
    assertEquals("every 300000ms", list.get(0).get("schedule").asText());
    assertEquals(0, cli.run("schedulers", "trigger", "mail", "digest").exitCode());
    assertEquals(0, cli.run("schedulers", "remove", "mail", "digest").exitCode());
    assertEquals(3, cli.run("schedulers", "remove", "mail", "digest").exitCode());
    assertEquals(2, cli.run("schedulers", "upsert", "mail", "x", "--name", "x").exitCode(), "a schedule is required");
  }

  @Test
  void watchPrintsCountsAndThroughput() throws Exception {
    queue.add("send", Map.of());
    Result r = cli.run("watch", "mail", "--count", "2", "--interval", "100ms", "--json");
    assertEquals(0, r.exitCode(), r::toString);
    String[] tables = r.out().split("(?m)^\\[");
    assertEquals(3, tables.length, r::toString);   // two JSON arrays
    assertTrue(r.out().contains("\"jobs/s\" : \"0.0\""), r::toString);
  }

  @Test
  void configShowMasksThePasswordAndBadConfigExitsWithFive(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("bullpen.toml"), "[redis]\ncommand_timeout = \"2s\"\n");
    Result shown = cli.env("BULLPEN_REDIS_PASSWORD", "hunter2").run("config", "show", "--config", file.toString());
    assertEquals(0, shown.exitCode(), shown::toString);
    assertFalse(shown.out().contains("hunter2"), shown::toString);
    assertTrue(shown.out().contains("command_timeout = \"2s\""), shown::toString);

    Path bad = Files.writeString(dir.resolve("bad.toml"), "[cli]\npage_size = 0\n");
    Result refused = cli.run("queues", "--config", bad.toString());
    assertEquals(5, refused.exitCode(), refused::toString);
    assertTrue(refused.err().contains(bad + " line 2: cli.page_size: must be from 1 to 10000, was 0"),
        refused::toString);
  }

  @Test
  void usageErrorsExitWithTwoAndUnreachableRedisWithFour() {
    assertEquals(2, cli.run("jobs", "list").exitCode());
    assertEquals(2, cli.run("no-such-command").exitCode());
    Result down = new CliRun("redis://127.0.0.1:1").env("BULLPEN_REDIS_CONNECT_TIMEOUT", "500ms").run("queues");
    assertEquals(4, down.exitCode(), down::toString);
  }

  @Test
  void verifyReportsABrokenKeyAndRepairsIt(RunningRedis redis) throws Exception {
    queue.add("send", Map.of(), JobOptions.builder().jobId("w").build());
    assertEquals(0, cli.run("verify", "mail").exitCode());
    try (io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
        io.lettuce.core.api.StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().set(prefix + ":mail:w:lock", "stray");
      Result found = cli.run("verify", "mail");
      assertEquals(1, found.exitCode(), found::toString);
      assertTrue(found.out().contains("LOCK_WITHOUT_ACTIVE"), found::toString);
      assertEquals(1, c.sync().exists(prefix + ":mail:w:lock"), "a dry run changes nothing");
      Result repaired = cli.run("verify", "mail", "--repair", "--json");
      assertEquals(0, repaired.exitCode(), repaired::toString);
      assertEquals(1, json(repaired).get("repaired").asInt());
      assertEquals(0, c.sync().exists(prefix + ":mail:w:lock"));
    }
  }

  @Test
  void completionPrintsABashScript() {
    Result r = cli.run("generate-completion");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("complete -F"), r::toString);
  }
}
