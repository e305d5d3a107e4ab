package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.scheduler.internal.CronSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bullpen's cron runs against the cron-parser inside bullmq@6.7.0, live, for common patterns in zones with and
 * without daylight saving, around their transitions: a Node worker and a Java worker must compute the same next
 * run from the same iteration. (Cases where cron-parser drops all but the first of several runs in a skipped
 * hour are left out on purpose: Bullpen runs them all, see CronSchedule.)
 */
@Tag("redis")
class CronParityInteropTest {
  private static final List<String> PATTERNS = List.of("0 30 2 * * *", "30 2 * * *", "0 0 * * * *", "*/15 * * * *",
      "0 0 */2 * * *", "0 0 1-3 * * *", "0 15 2 * * *", "0 0 12 * * 1-5", "0 0 0 1,15 * 1", "0 0 0 L * *",
      "0 0 9 * * 1#2", "0 0 0 * * 7", "@daily", "@weekly", "0 0 0 * jan,jul *", "*/20 * * * * *", "0 0 0 29 2 *",
      "0 0 3 ? * MON");
  private static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney",
      "Asia/Tokyo", "Asia/Kolkata");
  private static final List<String> FROM = List.of("2026-03-27T12:00:00Z", "2026-10-24T12:00:00Z",
      "2026-11-01T00:00:00Z", "2026-03-07T20:00:00Z", "2026-04-04T00:00:00Z", "2026-10-03T00:00:00Z",
      "2026-01-15T00:00:00.500Z");
  private static final int COUNT = 6;

  @BeforeAll
  static void node() {
    NodeSide.assumeAvailable();
  }

  @Test
  void nextRunsMatchCronParserAcrossZonesAndTransitions() {
    ArrayNode cases = Json.MAPPER.createArrayNode();
    List<String> labels = new ArrayList<>();
    List<List<Long>> java = new ArrayList<>();
    for (String pattern : PATTERNS) {
      CronSchedule cron = CronSchedule.parse(pattern);
      for (String zone : ZONES) {
        for (String from : FROM) {
          long start = Instant.parse(from).toEpochMilli();
          ObjectNode c = cases.addObject();
          c.put("pattern", pattern);
          c.put("tz", zone);
          c.put("from", start);
          c.put("count", COUNT);
          labels.add(pattern + " in " + zone + " after " + from);
          List<Long> runs = new ArrayList<>();
          long after = start;
          for (int i = 0; i < COUNT; i++) {
            OptionalLong next = cron.nextAfter(after, ZoneId.of(zone));
            if (next.isEmpty()) {
              break;
            }
            runs.add(next.getAsLong());
            after = next.getAsLong();
          }
          java.add(runs);
        }
      }
    }
    NodeFacts facts = new NodeScripts("redis://unused", "unused", "bull").run("cron-runs.mjs",
        Map.of("CASES", cases.toString()));
    List<JsonNode> node = facts.ofType("runs");
    assertEquals(labels.size(), node.size());
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      List<Long> expected = new ArrayList<>();
      node.get(i).get("runs").forEach(r -> expected.add(r.asLong()));
      if (!expected.equals(java.get(i))) {
        mismatches.add(labels.get(i) + ": cron-parser " + text(expected) + ", Bullpen " + text(java.get(i)));
      }
    }
    assertEquals(List.of(), mismatches, mismatches.size() + " of " + labels.size() + " cases differ");
  }

  private static List<String> text(List<Long> millis) {
    return millis.stream().map(m -> Instant.ofEpochMilli(m).toString()).toList();
  }
}
