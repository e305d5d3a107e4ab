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
    Set<String> structures = structures().keySet();
    RedisKeyAsyncCommands<String, String> commands = scripts.commands();
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs args = ScanArgs.Builder.matches(k.scanPattern()).limit(1000);
    do {
      KeyScanCursor<String> page = RedisCalls.await(commands.scan(cursor, args), scripts.timeoutMillis(), "SCAN");
      for (String key : page.getKeys()) {
        keys++;
        if (!structures.contains(key)) {
          classify(key);
        }
      }
      progress.accept(page.getKeys().size());
      cursor = page;
    } while (!cursor.isFinished());
  }

  private void classify(String key) {
    switch (k.role(key)) {
      case DEDUPLICATION -> deduplications.put(key.substring(k.deduplication("").length()), key);
      case GROUP_WAIT -> groupWaits.add(key);
      case JOB_PART -> {
        String id = k.jobIdOf(key);
        subKeys.computeIfAbsent(id, x -> new ArrayList<>(2)).add(key.substring(k.keyPrefix().length() + id.length()
            + 1));
      }
      case JOB -> hashes.add(k.jobIdOf(key));
      default -> { }
    }
  }

}
