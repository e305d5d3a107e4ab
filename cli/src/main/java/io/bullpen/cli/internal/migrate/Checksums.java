package io.bullpen.cli.internal.migrate;

import io.bullpen.cli.internal.Progress;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.StreamMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A SHA-256 of each key's content, in the target's names (so a prefix change compares equal): a job hash with its
 * fields sorted, lists in order, sets and zsets sorted, streams entry by entry with their ids. Locks and the
 * rate limiter (which expire on their own), the source's paused flag (set by the run) and the migration record
 * are left out.
 */
final class Checksums {
  private final KeyCopier copier;

  Checksums(KeyCopier copier) {
    this.copier = copier;
  }

  /**
   * Checksums of every key of {@code side}, by key name (target names for the source). A page of keys costs two
   * pipelined round trips (their types, then their contents), not two per key.
   */
  Map<String, String> all(Side side, Progress progress, boolean isTarget) {
    Map<String, String> sums = new LinkedHashMap<>();
    side.eachPage(1000, page -> {
      List<String> keys = new ArrayList<>();
      for (String key : page) {
        if (!(key.endsWith(":lock") || key.equals(side.keys.limiter()) || key.equals(side.keys.stalledCheck())
            || key.equals(side.keys.migration()))) {
          keys.add(key);
        }
      }
      List<RedisFuture<String>> types = new ArrayList<>();
      keys.forEach(key -> types.add(side.async().type(key)));
      List<String> typeNames = new ArrayList<>();
      List<RedisFuture<?>> contents = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        String type = side.await(types.get(i), "TYPE");
        typeNames.add(type);
        contents.add(fetch(side, keys.get(i), type));
      }
      for (int i = 0; i < keys.size(); i++) {
        RedisFuture<?> content = contents.get(i);
        String sum = sum(side, keys.get(i), typeNames.get(i), content == null ? null
            : side.await(content, typeNames.get(i)), isTarget);
        if (sum != null) {
          sums.put(keys.get(i), sum);
        }
      }
      progress.advance(page.size());
    });
    return sums;
  }

  /** The command reading a key of {@code type} whole; null for none. */
  private static RedisFuture<?> fetch(Side side, String key, String type) {
    return switch (type) {
      case "string" -> side.async().get(key);
      case "hash" -> side.async().hgetall(key);
      case "list" -> side.async().lrange(key, 0, -1);
      case "set" -> side.async().smembers(key);
      case "zset" -> side.async().zrangeWithScores(key, 0, -1);
      case "stream" -> side.async().xrange(key, Range.create("-", "+"));
      default -> null;
    };
  }

  @SuppressWarnings("unchecked")
  private String sum(Side side, String key, String type, Object content, boolean isTarget) {
    MessageDigest digest = sha256();
    update(digest, type);
    switch (type) {
      case "string" -> update(digest, (String) content);
      case "hash" -> {
        TreeMap<String, String> fields = new TreeMap<>();
        boolean job = side.keys.role(key) == io.bullpen.redis.internal.keys.QueueKeys.Role.JOB;
        ((Map<String, String>) content).forEach((f, v) -> {
          if (key.equals(side.keys.meta()) && f.equals("paused")) {
            return;
          }
          fields.put(isTarget || job ? f : copier.rename(f), isTarget ? v : job ? copier.jobField(f, v) : v);
        });
        fields.forEach((f, v) -> update(digest, f + "=" + v));
      }
      case "list" -> ((List<String>) content).forEach(v -> update(digest, v));
      case "set" -> ((java.util.Set<String>) content).stream()
          .map(v -> isTarget ? v : copier.rename(v)).sorted().forEach(v -> update(digest, v));
      case "zset" -> {
        List<String> members = new ArrayList<>();
        for (ScoredValue<String> m : (List<ScoredValue<String>>) content) {
          members.add((isTarget ? m.getValue() : copier.rename(m.getValue())) + "@" + m.getScore());
        }
        members.stream().sorted().forEach(v -> update(digest, v));
      }
      case "stream" -> {
        for (StreamMessage<String, String> m : (List<StreamMessage<String, String>>) content) {
          update(digest, m.getId());
          m.getBody().forEach((f, v) -> update(digest, f + "=" + v));
        }
      }
      case "none" -> {
        return null;
      }
      default -> update(digest, type);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void update(MessageDigest digest, String text) {
    digest.update((text == null ? "\u0000null" : text).getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
