package io.bullpen.redis.internal.integrity;

import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.RedisCalls;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * One pass over a queue's keys, without atomicity (workers may run meanwhile): the ids in each state structure,
 * and every key under {@code <prefix>:<queue>:} sorted into job hashes, job sub-keys and deduplication keys.
 */
final class IntegrityScan {
  /** Sub-keys a job may have, {@code <id>:<suffix>}. */
  static final List<String> JOB_SUFFIXES = List.of("lock", "logs", "dependencies", "processed", "failed",
      "unsuccessful");
  private static final int PAGE = 10_000;

  final Map<String, List<String>> placesById = new HashMap<>();
  final Set<String> hashes = new HashSet<>();
  /** Job id → the suffixes of its sub-keys. */
  final Map<String, List<String>> subKeys = new LinkedHashMap<>();
  /** Deduplication id → its key. */
  final Map<String, String> deduplications = new LinkedHashMap<>();
  final List<String> groupWaits = new ArrayList<>();
  long keys;

  private final QueueKeys k;
  private final QueueScripts scripts;

  IntegrityScan(QueueScripts scripts) {
    this.scripts = scripts;
    this.k = scripts.keys();
  }

  /** The state structures, by name, each a list (true) or a zset (false). */
  Map<String, Boolean> structures() {
    Map<String, Boolean> s = new LinkedHashMap<>();
    s.put(k.waitList(), true);
    s.put(k.paused(), true);
    s.put(k.active(), true);
    s.put(k.prioritized(), false);
    s.put(k.delayed(), false);
    s.put(k.waitingChildren(), false);
    s.put(k.completed(), false);
    s.put(k.failed(), false);
    return s;
  }

  IntegrityScan run(LongConsumer progress) {
    scanKeys(progress);
    structures().forEach((key, isList) -> read(key, isList, name(key)));
    for (String groupWait : groupWaits) {
      read(groupWait, true, "group wait");
    }
    return this;
  }

  private static String name(String key) {
    return key.substring(key.lastIndexOf(':') + 1);
  }

  private void read(String key, boolean isList, String place) {
    long timeout = scripts.timeoutMillis();
    for (long start = 0; ; start += PAGE) {
      List<String> ids = isList
          ? RedisCalls.await(scripts.commands().lrange(key, start, start + PAGE - 1), timeout, "LRANGE " + key)
          : RedisCalls.await(scripts.commands().zrange(key, start, start + PAGE - 1), timeout, "ZRANGE " + key);
      for (String id : ids) {
        if (!id.startsWith("0:")) {   // BullMQ 4's markers, which readers skip
          placesById.computeIfAbsent(id, x -> new ArrayList<>(1)).add(place);
        }
      }
      if (ids.size() < PAGE) {
        return;
      }
    }
  }

  private void scanKeys(LongConsumer progress) {
    String prefix = k.keyPrefix();
    Set<String> queueKeys = new HashSet<>(structures().keySet());
    queueKeys.addAll(List.of(k.meta(), k.events(), k.idCounter(), k.marker(), k.priorityCounter(), k.stalled(),
        k.stalledCheck(), k.limiter(), k.repeat(), k.config(), prefix + "priority", prefix + "delay"));
    String dedupPrefix = k.deduplication("");
    String groupPrefix = k.groupWait("");
    RedisKeyAsyncCommands<String, String> commands = scripts.commands();
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs args = ScanArgs.Builder.matches(globEscape(prefix) + "*").limit(1000);
    do {
      KeyScanCursor<String> page = RedisCalls.await(commands.scan(cursor, args), scripts.timeoutMillis(), "SCAN");
      for (String key : page.getKeys()) {
        keys++;
        classify(key, prefix, queueKeys, dedupPrefix, groupPrefix);
      }
      progress.accept(page.getKeys().size());
      cursor = page;
    } while (!cursor.isFinished());
  }

  private void classify(String key, String prefix, Set<String> queueKeys, String dedupPrefix, String groupPrefix) {
    if (queueKeys.contains(key)) {
      return;
    }
    if (key.startsWith(dedupPrefix)) {
      deduplications.put(key.substring(dedupPrefix.length()), key);
      return;
    }
    String rest = key.substring(prefix.length());
    if (key.startsWith(groupPrefix) && key.endsWith(":wait")) {
      groupWaits.add(key);
      return;
    }
    if (rest.startsWith("bp:") || rest.startsWith("dn:") || rest.startsWith("metrics:")
        || rest.startsWith("repeat:") && rest.indexOf(':', "repeat:".length()) < 0) {
      return;   // Bullpen's own keys, keepLastIfActive's next jobs, metrics, scheduler definitions
    }
    for (String suffix : JOB_SUFFIXES) {
      if (rest.endsWith(":" + suffix) && rest.length() > suffix.length() + 1) {
        String id = rest.substring(0, rest.length() - suffix.length() - 1);
        if (id.split(":", -1).length <= 3) {
          subKeys.computeIfAbsent(id, x -> new ArrayList<>(2)).add(suffix);
          return;
        }
      }
    }
    hashes.add(rest);
  }

  static String globEscape(String text) {
    return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }
}
