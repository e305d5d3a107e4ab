package io.bullpen.redis.internal.integrity;

import io.bullpen.IntegrityFinding;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.Script;
import java.util.ArrayList;
import java.util.List;

/**
 * Repairs the findings that are safe to repair, each in one {@code repairIntegrity} call that first checks the
 * finding still holds; findings of kinds that are not repairable are left alone.
 */
public final class IntegrityRepair {
  private final QueueScripts scripts;
  private final QueueKeys keys;

  public IntegrityRepair(QueueScripts scripts) {
    this.scripts = scripts;
    this.keys = scripts.keys();
  }

  /** Repairs {@code findings}; returns those that were repaired (a finding that no longer held is not). */
  public List<IntegrityFinding> run(List<IntegrityFinding> findings) {
    List<IntegrityFinding> repaired = new ArrayList<>();
    for (IntegrityFinding f : findings) {
      List<String> args = arguments(f);
      if (args.isEmpty()) {
        continue;
      }
      Object reply = RedisCalls.await(scripts.run(Script.REPAIR_INTEGRITY, List.of(keys.waitList(), keys.paused(),
          keys.active(), keys.prioritized(), keys.delayed(), keys.waitingChildren(), keys.completed(), keys.failed(),
          keys.stalled()), args), scripts.timeoutMillis(), "repairIntegrity");
      if (QueueScripts.number(reply, "repairIntegrity") > 0) {
        repaired.add(f);
      }
    }
    return repaired;
  }

  private List<String> arguments(IntegrityFinding f) {
    String prefix = keys.keyPrefix();
    return switch (f.kind()) {
      case MISSING_HASH -> List.of(prefix, "unlist", f.jobId());
      case LOCK_WITHOUT_ACTIVE -> List.of(prefix, "unlock", f.jobId());
      case ORPHAN_KEY -> List.of(prefix, "dropkey", f.jobId(), f.key().substring(f.key().lastIndexOf(':') + 1));
      case DEPENDENCY_MISSING_CHILD -> f.key().startsWith(prefix)
          ? List.of(prefix, "undepend", f.jobId(), f.key()) : List.of();   // children of other queues: by hand
      case DANGLING_DEDUPLICATION -> List.of(prefix, "undedupe", f.jobId());
      default -> List.of();
    };
  }
}
