package io.bullpen.cli.internal.migrate;

import io.bullpen.cli.internal.Progress;
import io.lettuce.core.Range;
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

  /** Checksums of every key of {@code side}, by key name (target names for the source). */
  Map<String, String> all(Side side, Progress progress, boolean isTarget) {
    Map<String, String> sums = new LinkedHashMap<>();
    side.eachPage(1000, keys -> {
      for (String key : keys) {
        if (key.endsWith(":lock") || key.equals(side.keys.limiter()) || key.equals(side.keys.stalledCheck())
            || key.equals(side.keys.migration())) {
          continue;
        }
        String sum = sum(side, key, isTarget);
        if (sum != null) {
          sums.put(key, sum);
        }
      }
      progress.advance(keys.size());
    });
    return sums;
  }

  private String sum(Side side, String key, boolean isTarget) {
    String type = side.await(side.async().type(key), "TYPE");
    MessageDigest digest = sha256();
    update(digest, type);
    switch (type) {
      case "string" -> update(digest, side.await(side.async().get(key), "GET"));
      case "hash" -> {
        TreeMap<String, String> fields = new TreeMap<>();
        boolean job = side.keys.role(key) == io.bullpen.redis.internal.keys.QueueKeys.Role.JOB;
        side.await(side.async().hgetall(key), "HGETALL").forEach((f, v) -> {
          if (key.equals(side.keys.meta()) && f.equals("paused")) {
            return;
          }
          fields.put(isTarget || job ? f : copier.rename(f), isTarget ? v : job ? copier.jobField(f, v) : v);
        });
        fields.forEach((f, v) -> update(digest, f + "=" + v));
      }
      case "list" -> side.await(side.async().lrange(key, 0, -1), "LRANGE").forEach(v -> update(digest, v));
      case "set" -> side.await(side.async().smembers(key), "SMEMBERS").stream()
          .map(v -> isTarget ? v : copier.rename(v)).sorted().forEach(v -> update(digest, v));
      case "zset" -> {
        List<String> members = new ArrayList<>();
        for (ScoredValue<String> m : side.await(side.async().zrangeWithScores(key, 0, -1), "ZRANGE")) {
          members.add((isTarget ? m.getValue() : copier.rename(m.getValue())) + "@" + m.getScore());
        }
        members.stream().sorted().forEach(v -> update(digest, v));
      }
      case "stream" -> {
        for (StreamMessage<String, String> m : side.await(side.async().xrange(key, Range.create("-", "+")), "XRANGE")) {
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
