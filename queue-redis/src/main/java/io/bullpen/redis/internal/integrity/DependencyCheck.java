package io.bullpen.redis.internal.integrity;

import io.bullpen.IntegrityFinding;
import io.bullpen.IntegrityFinding.Kind;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.RedisCalls;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parents and children: each parent's pending dependencies name live, unfinished children; each pending child's
 * parent lists it; a parent waiting for children has some. Children in other queues are checked for existence
 * only. A suspect is read a second time before it is reported, so a child that finished meanwhile is not.
 */
final class DependencyCheck {
  private static final int BATCH = 1000;

  private final QueueScripts scripts;
  private final QueueKeys keys;
  private final IntegrityScan scan;

  DependencyCheck(QueueScripts scripts, IntegrityScan scan) {
    this.scripts = scripts;
    this.keys = scripts.keys();
    this.scan = scan;
  }

  void run(List<IntegrityFinding> findings) {
    List<String> parents = new ArrayList<>();
    scan.subKeys.forEach((id, suffixes) -> {
      if (suffixes.contains("dependencies") && scan.hashes.contains(id)) {
        parents.add(id);
      }
    });
    Map<String, Set<String>> dependencies = members(parents);
    dependencies.forEach((parent, children) -> {
      for (String child : children) {
        childFinding(parent, child).ifPresent(findings::add);
      }
    });
    scan.placesById.forEach((id, places) -> {
      if (places.contains("waiting-children") && dependencies.getOrDefault(id, Set.of()).isEmpty()
          && scan.hashes.contains(id) && stillWaitingWithoutDependencies(id)) {
        findings.add(new IntegrityFinding(Kind.STUCK_PARENT, id, keys.jobKey(id),
            "job " + id + " waits for children but has no pending dependencies"));
      }
    });
    unlistedChildren(dependencies, findings);
  }

  private Map<String, Set<String>> members(List<String> parents) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (int from = 0; from < parents.size(); from += BATCH) {
      Map<String, RedisFuture<Set<String>>> futures = new LinkedHashMap<>();
      for (String parent : parents.subList(from, Math.min(parents.size(), from + BATCH))) {
        futures.put(parent, scripts.commands().smembers(keys.dependenciesKey(parent)));
      }
      futures.forEach((p, f) -> out.put(p, RedisCalls.await(f, scripts.timeoutMillis(), "SMEMBERS")));
    }
    return out;
  }

  private Optional<IntegrityFinding> childFinding(String parent, String childKey) {
    Optional<QueueKeys.JobRef> ref = QueueKeys.parseJobKey(childKey);
    boolean sameQueue = ref.isPresent() && ref.get().queue().qualifiedName().equals(keys.qualifiedName());
    String dependencies = keys.dependenciesKey(parent);
    if (!sameQueue) {
      if (scripts.commands() instanceof io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands<?, ?>
          && QueueKeys.parseJobKey(childKey).map(r -> r.queue().slot() != keys.slot()).orElse(true)) {
        return Optional.empty();   // on a cluster only keys of this queue's slot are read
      }
      if (exists(childKey) || !isMember(dependencies, childKey)) {
        return Optional.empty();
      }
      return Optional.of(new IntegrityFinding(Kind.DEPENDENCY_MISSING_CHILD, parent, childKey,
          "job " + parent + " waits for child " + childKey + ", which does not exist"));
    }
    String child = ref.get().jobId();
    boolean hash = scan.hashes.contains(child);
    boolean completed = scan.placesById.getOrDefault(child, List.of()).contains("completed");
    if (hash && !completed) {
      return Optional.empty();
    }
    // Read again: the child may have been added or finished (and left the set) since the scan.
    if (!isMember(dependencies, childKey)) {
      return Optional.empty();
    }
    if (!exists(childKey)) {
      return Optional.of(new IntegrityFinding(Kind.DEPENDENCY_MISSING_CHILD, parent, childKey,
          "job " + parent + " waits for child " + childKey + ", which does not exist"));
    }
    Double score = RedisCalls.await(scripts.commands().zscore(keys.completed(), child), scripts.timeoutMillis(),
        "ZSCORE");
    if (score != null) {
      return Optional.of(new IntegrityFinding(Kind.DEPENDENCY_FINISHED_CHILD, parent, childKey,
          "job " + parent + " still waits for child " + childKey + ", which has completed"));
    }
    return Optional.empty();
  }

  /** Pending jobs of this queue whose parent (in this queue) exists but does not list them. */
  private void unlistedChildren(Map<String, Set<String>> dependencies, List<IntegrityFinding> findings) {
    List<String> pending = new ArrayList<>();
    scan.placesById.forEach((id, places) -> {
      if (IntegrityCheck.pending(places) && scan.hashes.contains(id)) {
        pending.add(id);
      }
    });
    for (int from = 0; from < pending.size(); from += BATCH) {
      Map<String, RedisFuture<String>> parentKeys = new LinkedHashMap<>();
      for (String id : pending.subList(from, Math.min(pending.size(), from + BATCH))) {
        parentKeys.put(id, scripts.commands().hget(keys.jobKey(id), "parentKey"));
      }
      parentKeys.forEach((id, f) -> {
        String parentKey = RedisCalls.await(f, scripts.timeoutMillis(), "HGET parentKey");
        Optional<QueueKeys.JobRef> parent = QueueKeys.parseJobKey(parentKey);
        if (parent.isEmpty() || !parent.get().queue().qualifiedName().equals(keys.qualifiedName())) {
          return;
        }
        String parentId = parent.get().jobId();
        String childKey = keys.jobKey(id);
        if (scan.hashes.contains(parentId) && !dependencies.getOrDefault(parentId, Set.of()).contains(childKey)
            && !isMember(keys.dependenciesKey(parentId), childKey) && exists(childKey) && exists(parentKey)
            && stillPending(id)) {
          findings.add(new IntegrityFinding(Kind.CHILD_NOT_LISTED, id, keys.dependenciesKey(parentId),
              "job " + id + " names parent " + parentKey + ", whose pending dependencies do not list it"));
        }
      });
    }
  }

  private boolean stillPending(String id) {
    long timeout = scripts.timeoutMillis();
    return RedisCalls.await(scripts.commands().zscore(keys.completed(), id), timeout, "ZSCORE") == null
        && RedisCalls.await(scripts.commands().zscore(keys.failed(), id), timeout, "ZSCORE") == null;
  }

  private boolean stillWaitingWithoutDependencies(String id) {
    long timeout = scripts.timeoutMillis();
    return RedisCalls.await(scripts.commands().zscore(keys.waitingChildren(), id), timeout, "ZSCORE") != null
        && RedisCalls.await(scripts.commands().scard(keys.dependenciesKey(id)), timeout, "SCARD") == 0;
  }

  private boolean isMember(String set, String member) {
    return RedisCalls.await(scripts.commands().sismember(set, member), scripts.timeoutMillis(), "SISMEMBER");
  }

  private boolean exists(String key) {
    return RedisCalls.await(scripts.commands().exists(key), scripts.timeoutMillis(), "EXISTS") > 0;
  }
}
