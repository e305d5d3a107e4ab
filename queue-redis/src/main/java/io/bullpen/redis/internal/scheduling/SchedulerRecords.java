package io.bullpen.redis.internal.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.scheduler.Repeat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a job scheduler as BullMQ 6 writes them (spec §6.7): the fields of the {@code repeat:<id>} hash
 * and the {@code opts} of each run, for the runs Bullpen creates to read exactly like the ones Node creates.
 */
final class SchedulerRecords {
  private SchedulerRecords() {}

  /** The opts of the first iteration, as BullMQ writes them (jobId and delay are added by the script). */
  static ObjectNode firstRunOpts(String id, Repeat repeat, ObjectNode templateOpts, long now, long next,
      Long startDate, Long endDate) {
    ObjectNode opts = templateOpts.deepCopy();
    opts.put("timestamp", now);
    if (repeat.pattern().isPresent()) {
      opts.put("prevMillis", next);
    }
    opts.put("repeatJobKey", id);
    ObjectNode r = opts.putObject("repeat");
    repeat.pattern().ifPresent(p -> r.put("pattern", p));
    repeat.every().ifPresent(e -> r.put("every", e));
    repeat.tz().ifPresent(tz -> r.put("tz", tz));
    repeat.limit().ifPresent(limit -> r.put("limit", limit));
    repeat.offset().ifPresent(offset -> {
      if (offset > 0) {
        r.put("offset", offset);
      }
    });
    r.put("count", 1);
    if (startDate != null) {
      r.put("startDate", startDate);
    }
    if (endDate != null) {
      r.put("endDate", endDate);
    }
    return opts;
  }

  /** The opts of the next iteration: the current one's, counted on, as BullMQ's worker derives them. */
  static ObjectNode nextRunOpts(ObjectNode current, ObjectNode currentRepeat, String id, int count,
      boolean every, long now, long next) {
    ObjectNode opts = current.deepCopy();
    opts.remove("jobId");
    opts.remove("delay");
    opts.put("timestamp", now);
    if (every) {
      opts.remove("prevMillis");
    } else {
      opts.put("prevMillis", next);
    }
    opts.put("repeatJobKey", id);
    ObjectNode repeat = currentRepeat.deepCopy();
    repeat.remove("immediately");
    if (!every || repeat.path("offset").asLong(0) == 0) {
      repeat.remove("offset");
    }
    repeat.put("count", count + 1);
    opts.set("repeat", repeat);
    if (!opts.has("attempts")) {
      opts.put("attempts", 0);
    }
    return opts;
  }

  /** The scheduler's hash fields written by upsert, name first (the script reads the job name from there). */
  static List<String> definition(String name, Repeat repeat, Long startDate, Long endDate) {
    List<String> fields = new ArrayList<>(List.of("name", name));
    repeat.tz().ifPresent(tz -> fields.addAll(List.of("tz", tz)));
    repeat.limit().ifPresent(limit -> fields.addAll(List.of("limit", Integer.toString(limit))));
    repeat.pattern().ifPresent(p -> fields.addAll(List.of("pattern", p)));
    if (startDate != null) {
      fields.addAll(List.of("startDate", Long.toString(startDate)));
    }
    if (endDate != null) {
      fields.addAll(List.of("endDate", Long.toString(endDate)));
    }
    repeat.every().ifPresent(e -> fields.addAll(List.of("every", Long.toString(e))));
    return fields;
  }

  /** A number from a JSON value (number, or text holding a number or an ISO instant), else from stored text. */
  static Long longOf(JsonNode json, String stored) {
    if (json != null && json.isNumber()) {
      return json.asLong();
    }
    String text = json != null && json.isTextual() ? json.asText() : stored;
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return (long) Double.parseDouble(text);
    } catch (NumberFormatException e) {
      try {
        return Instant.parse(text).toEpochMilli();
      } catch (RuntimeException notAnInstant) {
        return null;
      }
    }
  }
}
