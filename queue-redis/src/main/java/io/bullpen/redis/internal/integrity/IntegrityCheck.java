package io.bullpen.redis.internal.integrity;

import io.bullpen.IntegrityFinding;
import io.bullpen.IntegrityFinding.Kind;
import io.bullpen.IntegrityReport;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.Script;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Checks one queue: every job in exactly one state structure, every listed id with its hash, locks only on active
 * jobs, parents' pending dependencies consistent with their children, and no key outliving its job. The scan is
 * not atomic, so every job-placement suspect is read again in one atomic {@code checkJobs} call and reported only
 * if it still holds; dependency findings are read twice.
 */
public final class IntegrityCheck {
  private static final int BATCH = 500;
  private static final List<String> PLACES = List.of("wait", "paused", "active", "prioritized", "delayed",
      "waiting-children", "completed", "failed");
  private static final Set<String> PENDING = Set.of("wait", "paused", "active", "prioritized", "delayed",
      "waiting-children", "group wait");

  private final QueueScripts scripts;
  private final QueueKeys keys;

  public IntegrityCheck(QueueScripts scripts) {
    this.scripts = scripts;
    this.keys = scripts.keys();
  }

  /** Runs the check; {@code progress} hears how many keys have been scanned so far, batch by batch. */
  public IntegrityReport run(LongConsumer progress) {
    IntegrityScan scan = new IntegrityScan(scripts).run(progress);
    Set<String> suspects = new LinkedHashSet<>();
    scan.placesById.forEach((id, places) -> {
      if (places.size() > 1 || !scan.hashes.contains(id)) {
        suspects.add(id);
      }
    });
    for (String id : scan.hashes) {
      if (!scan.placesById.containsKey(id)) {
        suspects.add(id);
      }
    }
    scan.subKeys.forEach((id, suffixes) -> {
      if (!scan.hashes.contains(id) || suffixes.contains("lock") && !scan.placesById.getOrDefault(id, List.of())
          .contains("active")) {
        suspects.add(id);
      }
    });
    List<IntegrityFinding> findings = new ArrayList<>();
    Map<String, Placement> placements = placements(new ArrayList<>(suspects));
    for (String id : suspects) {
      placements.get(id).findings(id, keys, scan.subKeys.getOrDefault(id, List.of()), findings);
    }
    new DependencyCheck(scripts, scan).run(findings);
    deduplications(scan, findings);
    return new IntegrityReport(keys.qualifiedName(), scan.placesById.size() + scan.hashes.size(), scan.keys,
        findings);
  }

  /** Where each job is, read atomically, batch by batch. */
  private Map<String, Placement> placements(List<String> ids) {
    Map<String, Placement> out = new LinkedHashMap<>();
    for (int from = 0; from < ids.size(); from += BATCH) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
      List<String> args = new ArrayList<>(batch.size() + 1);
      args.add(keys.keyPrefix());
      args.addAll(batch);
      List<Object> reply = QueueScripts.list(RedisCalls.await(scripts.run(Script.CHECK_JOBS, List.of(
          keys.waitList(), keys.paused(), keys.active(), keys.prioritized(), keys.delayed(), keys.waitingChildren(),
          keys.completed(), keys.failed()), args), scripts.timeoutMillis(), "checkJobs"), "checkJobs");
      for (int i = 0; i < batch.size(); i++) {
        List<Object> row = QueueScripts.list(reply.get(i), "checkJobs row");
        long[] flags = new long[row.size()];
        for (int j = 0; j < flags.length; j++) {
          flags[j] = QueueScripts.number(row.get(j), "checkJobs flag");
        }
        out.put(batch.get(i), new Placement(flags));
      }
    }
    return out;
  }

  /** One row of {@code checkJobs}: hash kind, lock, group wait, then the eight structures of {@link #PLACES}. */
  private record Placement(long[] flags) {
    boolean hasHash() {
      return flags[0] == 1;
    }

    boolean locked() {
      return flags[1] == 1;
    }

    List<String> places() {
      List<String> in = new ArrayList<>();
      if (flags[2] == 1) {
        in.add("group wait");
      }
      for (int i = 0; i < PLACES.size(); i++) {
        if (flags[3 + i] == 1) {
          in.add(PLACES.get(i));
        }
      }
      return in;
    }

    void findings(String id, QueueKeys keys, List<String> subKeys, List<IntegrityFinding> out) {
      List<String> places = places();
      String jobKey = keys.jobKey(id);
      if (places.size() > 1) {
        out.add(new IntegrityFinding(Kind.DUPLICATE_STATE, id, jobKey, "job " + id + " is in " + places));
      }
      if (!hasHash()) {
        if (!places.isEmpty()) {
          out.add(new IntegrityFinding(Kind.MISSING_HASH, id, jobKey, "job " + id + " is listed in " + places
              + (flags[0] == 2 ? " but its key is not a hash" : " but has no hash")));
        }
        for (String suffix : subKeys) {
          if (!suffix.equals("lock")) {
            out.add(new IntegrityFinding(Kind.ORPHAN_KEY, id, jobKey + ":" + suffix,
                "the " + suffix + " of job " + id + " outlived its hash"));
          }
        }
      } else if (places.isEmpty()) {
        out.add(new IntegrityFinding(Kind.ORPHAN_JOB, id, jobKey, "job " + id + " is in no state structure"));
      }
      if (locked() && !places.contains("active")) {
        out.add(new IntegrityFinding(Kind.LOCK_WITHOUT_ACTIVE, id, keys.lockKey(id),
            "job " + id + " holds a lock but is " + (places.isEmpty() ? "in no state" : "in " + places)));
      }
    }
  }

  private void deduplications(IntegrityScan scan, List<IntegrityFinding> findings) {
    Map<String, RedisFuture<String>> owners = new LinkedHashMap<>();
    scan.deduplications.forEach((id, key) -> owners.put(id, scripts.commands().get(key)));
    Map<String, RedisFuture<Long>> exists = new LinkedHashMap<>();
    owners.forEach((id, owner) -> {
      String job = RedisCalls.await(owner, scripts.timeoutMillis(), "GET dedup");
      if (job != null) {
        exists.put(id + "\u0000" + job, scripts.commands().exists(keys.jobKey(job)));
      }
    });
    exists.forEach((both, f) -> {
      if (RedisCalls.await(f, scripts.timeoutMillis(), "EXISTS") == 0) {
        String[] parts = both.split("\u0000", 2);
        findings.add(new IntegrityFinding(Kind.DANGLING_DEDUPLICATION, parts[0], keys.deduplication(parts[0]),
            "deduplication id " + parts[0] + " points at job " + parts[1] + ", which does not exist"));
      }
    });
  }

  static boolean pending(List<String> places) {
    return places.stream().anyMatch(PENDING::contains);
  }
}
