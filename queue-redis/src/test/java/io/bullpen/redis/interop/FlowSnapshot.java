package io.bullpen.redis.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.redis.internal.codec.Json;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Everything stored under one prefix, read with plain Redis commands and made comparable across runs: the
 * prefix becomes {@code P}, UUIDs become {@code <uuid>}, JSON values become trees, and clock values are dropped.
 */
final class FlowSnapshot {
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Set<String> CLOCK_FIELDS = Set.of("timestamp", "processedOn", "finishedOn", "stacktrace", "pb");
  private static final Set<String> JSON_FIELDS = Set.of("data", "opts", "parent", "returnvalue", "progress");

  /** key (normalized) to its normalized content. */
  final Map<String, Object> keys = new TreeMap<>();
  /** Queue name to its events as "name jobId [prev]", oldest first. */
  final Map<String, List<String>> events = new TreeMap<>();

  static FlowSnapshot read(RunningRedis server, String prefix, List<String> queues) {
    try (DirectRedis direct = DirectRedis.connect(server)) {
      return read(direct.sync(), prefix, queues);
    }
  }

  private static FlowSnapshot read(RedisClusterCommands<String, String> redis, String prefix, List<String> queues) {
    FlowSnapshot snapshot = new FlowSnapshot();
    for (String key : redis.keys(prefix + ":*")) {
      String name = normalize(key, prefix);
      switch (redis.type(key)) {
        case "hash" -> snapshot.keys.put(name, hash(redis.hgetall(key), prefix, key.endsWith(":processed")));
        case "set" -> snapshot.keys.put(name, normalizedSet(redis.smembers(key), prefix));
        case "zset" -> snapshot.keys.put(name, zsetMembers(redis, key, prefix));
        case "list" -> snapshot.keys.put(name, redis.lrange(key, 0, -1).stream().map(v -> normalize(v, prefix)).toList());
        case "string" -> snapshot.keys.put(name, key.endsWith(":stalled-check") ? "<time>" : redis.get(key));
        default -> { }
      }
    }
    for (String queue : queues) {
      String eventsKey = prefix + ":" + queue + ":events";
      snapshot.keys.remove(normalize(eventsKey, prefix));
      List<String> entries = new ArrayList<>();
      for (StreamMessage<String, String> m : redis.xrange(eventsKey, Range.create("-", "+"))) {
        Map<String, String> body = m.getBody();
        String entry = body.get("event") + " " + normalize(String.valueOf(body.get("jobId")), prefix)
            + (body.containsKey("prev") ? " prev=" + body.get("prev") : "");
        entries.add(entry);
      }
      snapshot.events.put(queue, entries);
    }
    return snapshot;
  }

  private static Object hash(Map<String, String> fields, String prefix, boolean jsonValues) {
    Map<String, Object> out = new TreeMap<>();
    fields.forEach((field, value) -> {
      String f = normalize(field, prefix);
      if (CLOCK_FIELDS.contains(f)) {
        return;
      }
      String v = normalize(value, prefix);
      out.put(f, jsonValues || JSON_FIELDS.contains(f) ? json(v) : v);
    });
    return out;
  }

  /** Scores of waiting-children (add times) and unsuccessful (failure times) are clock values: members only. */
  private static Object zsetMembers(RedisClusterCommands<String, String> redis, String key, String prefix) {
    Set<String> members = new TreeSet<>();
    redis.zrange(key, 0, -1).forEach(m -> members.add(normalize(m, prefix)));
    if (key.endsWith(":prioritized") || key.endsWith(":marker")) {
      Map<String, Double> scored = new TreeMap<>();
      redis.zrangeWithScores(key, 0, -1).forEach(sv -> scored.put(normalize(sv.getValue(), prefix), sv.getScore()));
      return scored;
    }
    return members;
  }

  private static Set<String> normalizedSet(Set<String> members, String prefix) {
    Set<String> out = new TreeSet<>();
    members.forEach(m -> out.add(normalize(m, prefix)));
    return out;
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      return Json.MAPPER.getNodeFactory().textNode(text);
    }
  }

  static String normalize(String text, String prefix) {
    if (text == null) {
      return null;
    }
    return UUID.matcher(text.replace(prefix + ":", "P:")).replaceAll("<uuid>");
  }

  private static final Set<String> OUTCOME_FIELDS = Set.of("name", "data", "opts", "parentKey", "parent",
      "returnvalue", "failedReason", "atm", "defa", "delay", "priority");
  private static final Pattern STATE_KEY =
      Pattern.compile("P:[^:]+:(wait|active|delayed|prioritized|waiting-children|completed|failed)");
  private static final Pattern JOB_SUBKEY = Pattern.compile("P:[^:]+:.+:(dependencies|processed|failed|unsuccessful)");

  /**
   * Where every job ended and what it holds, without what depends on the worker's bookkeeping (locks, stalled
   * sets, markers, events, meta, attempts started): job hashes cut to {@link #OUTCOME_FIELDS}, the parents'
   * child sets, and the members of each state.
   */
  FlowSnapshot outcome() {
    FlowSnapshot out = new FlowSnapshot();
    keys.forEach((key, value) -> {
      if (STATE_KEY.matcher(key).matches() || JOB_SUBKEY.matcher(key).matches()) {
        out.keys.put(key, value instanceof List<?> list ? new TreeSet<>(list.stream().map(String::valueOf).toList())
            : value);
      } else if (value instanceof Map<?, ?> hash && hash.containsKey("name") && hash.containsKey("opts")) {
        Map<Object, Object> cut = new TreeMap<>();
        hash.forEach((field, v) -> {
          if (OUTCOME_FIELDS.contains(String.valueOf(field))) {
            cut.put(field, v);
          }
        });
        out.keys.put(key, cut);
      }
    });
    return out;
  }

  /** The state of each job, from the state keys: normalized job key to state name. */
  Map<String, String> states() {
    Map<String, String> states = new TreeMap<>();
    keys.forEach((key, value) -> {
      java.util.regex.Matcher m = STATE_KEY.matcher(key);
      if (m.matches()) {
        String queuePrefix = key.substring(0, key.lastIndexOf(':') + 1);
        Iterable<?> members = value instanceof Map<?, ?> scored ? scored.keySet() : (Iterable<?>) value;
        members.forEach(id -> states.put(queuePrefix + id, m.group(1)));
      }
    });
    return states;
  }

  /** A job hash field as stored (JSON fields as trees), or null. */
  Object field(String normalizedJobKey, String field) {
    Object hash = keys.get(normalizedJobKey);
    return hash instanceof Map<?, ?> map ? map.get(field) : null;
  }

  /** The differences from {@code other}, one line each ("" when none). */
  List<String> differences(FlowSnapshot other) {
    List<String> diffs = new ArrayList<>();
    Set<String> all = new TreeSet<>(keys.keySet());
    all.addAll(other.keys.keySet());
    for (String key : all) {
      Object mine = keys.get(key);
      Object theirs = other.keys.get(key);
      if (!java.util.Objects.equals(mine, theirs)) {
        diffs.add(key + ": " + mine + " <> " + theirs);
      }
    }
    if (!events.equals(other.events)) {
      diffs.add("events: " + events + " <> " + other.events);
    }
    return diffs;
  }
}
