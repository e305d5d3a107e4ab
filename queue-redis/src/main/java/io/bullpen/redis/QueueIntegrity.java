package io.bullpen.redis;

import io.bullpen.IntegrityFinding;
import io.bullpen.IntegrityReport;
import io.bullpen.redis.internal.integrity.IntegrityCheck;
import io.bullpen.redis.internal.integrity.IntegrityRepair;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The integrity check of a queue ({@code queue.integrity()}), for after an incident: every job in exactly one
 * state structure, every listed id with its hash, locks only on active jobs, parents' pending dependencies
 * consistent with their children, no key outliving its job, no deduplication key pointing at a missing job.
 * It reads while workers run (the scan is not atomic; each suspect is read again atomically before it is
 * reported), and it changes nothing: {@link #repair} fixes the findings that are safe to fix.
 *
 * <pre>{@code
 * IntegrityReport report = queue.integrity().check();
 * report.findings().forEach(f -> log.warn("{}: {}", f.kind(), f.detail()));
 * List<IntegrityFinding> fixed = queue.integrity().repair(report);
 * }</pre>
 */
public final class QueueIntegrity {
  private final QueueOperations ops;

  QueueIntegrity(QueueOperations ops) {
    this.ops = ops;
  }

  /** Checks the queue and reports what is inconsistent; changes nothing. */
  public IntegrityReport check() {
    return check(scanned -> { });
  }

  /** As {@link #check()}; {@code keysScanned} hears the number of keys scanned, one call per SCAN page. */
  public IntegrityReport check(LongConsumer keysScanned) {
    ops.checkOpen();
    return new IntegrityCheck(ops.scripts).run(keysScanned);
  }

  /**
   * Repairs the {@linkplain IntegrityFinding#repairable() repairable} findings of {@code report} (ids listed without
   * a hash, locks of jobs that are not active, keys that outlived their job, dependencies on children that are gone,
   * deduplication keys of missing jobs), each in one atomic script that first checks the finding still holds.
   * Returns the findings repaired.
   */
  public List<IntegrityFinding> repair(IntegrityReport report) {
    ops.checkOpen();
    return new IntegrityRepair(ops.scripts).run(report.repairable());
  }
}
