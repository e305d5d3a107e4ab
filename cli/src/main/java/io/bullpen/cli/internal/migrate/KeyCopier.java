package io.bullpen.cli.internal.migrate;

import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.keys.QueueKeys.Role;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.ScoredValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies keys of a queue from one side to the other, a batch at a time, pipelined. With the same prefix a key is
 * copied byte for byte (DUMP / RESTORE REPLACE, keeping its type, its TTL and, for the event stream, its last id).
 * With another prefix the values that name keys are rewritten too: a job's {@code parentKey}, {@code parent} and
 * {@code opts.parent.queue}, and the child keys in a parent's {@code dependencies}, {@code processed},
 * {@code failed} and {@code unsuccessful}. Copying a key again replaces it, so a batch repeated after a crash
 * leaves the same result.
 */
final class KeyCopier {
  private static final Set<String> REWRITTEN_PARTS = Set.of("dependencies", "processed", "failed", "unsuccessful");

  private final Side from;
  private final Side to;
  private final String fromPrefix;
  private final String toPrefix;

  KeyCopier(Side from, Side to) {
    this.from = from;
    this.to = to;
    this.fromPrefix = from.keys.prefix() + ":";
    this.toPrefix = to.keys.prefix() + ":";
  }

  boolean rewrites() {
    return !fromPrefix.equals(toPrefix);
  }

  /** The name {@code sourceKey} has on the target. */
  String target(String sourceKey) {
    return to.keys.keyPrefix() + sourceKey.substring(from.keys.keyPrefix().length());
  }

  /** {@code value} naming a key under the source prefix, renamed to the target's. */
  String rename(String value) {
    return value != null && value.startsWith(fromPrefix) ? toPrefix + value.substring(fromPrefix.length()) : value;
  }

  /** Whether {@code sourceKey}'s value names other keys and is rewritten rather than dumped. */
  boolean needsRewrite(String sourceKey, String type) {
    if (!rewrites()) {
      return false;
    }
    Role role = from.keys.role(sourceKey);
    if (role == Role.JOB) {
      return type.equals("hash");
    }
    return role == Role.JOB_PART && REWRITTEN_PARTS.contains(sourceKey.substring(sourceKey.lastIndexOf(':') + 1));
  }

  /** Copies {@code keys}; returns how many existed on the source (a key may have gone since the scan). */
  int copy(List<String> keys) {
    Map<String, RedisFuture<String>> types = new LinkedHashMap<>();
    if (rewrites()) {
      keys.forEach(k -> types.put(k, from.async().type(k)));
    }
    List<String> dumped = new ArrayList<>();
    List<String> rewritten = new ArrayList<>();
    for (String k : keys) {
      if (rewrites() && needsRewrite(k, from.await(types.get(k), "TYPE"))) {
        rewritten.add(k);
      } else {
        dumped.add(k);
      }
    }
    int copied = dump(dumped);
    for (String k : rewritten) {
      copied += rewrite(k, from.await(types.get(k), "TYPE"));
    }
    return copied;
  }

  private int dump(List<String> keys) {
    Map<String, RedisFuture<byte[]>> dumps = new LinkedHashMap<>();
    Map<String, RedisFuture<Long>> ttls = new LinkedHashMap<>();
    for (String k : keys) {
      dumps.put(k, from.async().dump(k));
      ttls.put(k, from.async().pttl(k));
    }
    List<RedisFuture<String>> restores = new ArrayList<>();
    int copied = 0;
    for (String k : keys) {
      byte[] value = from.await(dumps.get(k), "DUMP");
      long ttl = from.await(ttls.get(k), "PTTL");
      if (value == null || ttl == -2) {
        continue;   // gone since the scan (a lock or a limiter that expired)
      }
      restores.add(to.async().restore(target(k), value, RestoreArgs.Builder.ttl(Math.max(0, ttl)).replace()));
      copied++;
    }
    restores.forEach(f -> to.await(f, "RESTORE"));
    return copied;
  }

  private int rewrite(String key, String type) {
    String target = target(key);
    String part = key.substring(key.lastIndexOf(':') + 1);
    to.await(to.async().del(target), "DEL");
    switch (type) {
      case "hash" -> {
        Map<String, String> fields = from.await(from.async().hgetall(key), "HGETALL");
        if (fields.isEmpty()) {
          return 0;
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean jobHash = from.keys.role(key) == Role.JOB;
        fields.forEach((f, v) -> out.put(jobHash ? f : rename(f), jobHash ? jobField(f, v) : v));
        to.await(to.async().hset(target, out), "HSET");
      }
      case "set" -> {
        Set<String> members = from.await(from.async().smembers(key), "SMEMBERS");
        if (members.isEmpty()) {
          return 0;
        }
        to.await(to.async().sadd(target, members.stream().map(this::rename).toArray(String[]::new)), "SADD");
      }
      case "zset" -> {
        List<ScoredValue<String>> members = from.await(from.async().zrangeWithScores(key, 0, -1), "ZRANGE");
        if (members.isEmpty()) {
          return 0;
        }
        List<ScoredValue<String>> renamed = members.stream()
            .map(m -> ScoredValue.just(m.getScore(), rename(m.getValue()))).toList();
        to.await(to.async().zadd(target, renamed.toArray(ScoredValue[]::new)), "ZADD");
      }
      default -> throw new IllegalStateException(key + " (" + part + ") is a " + type + "; expected hash, set or zset");
    }
    return 1;
  }

  /** A job hash field with the key names in it renamed. */
  String jobField(String field, String value) {
    return switch (field) {
      case "parentKey" -> rename(value);
      case "parent", "opts" -> value.replace("\"" + fromPrefix, "\"" + toPrefix);
      default -> value;
    };
  }
}
