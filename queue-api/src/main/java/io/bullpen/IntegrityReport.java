package io.bullpen;

import java.util.List;

/**
 * What an integrity check of one queue found.
 *
 * @param queue the queue's qualified name, {@code <prefix>:<queue>}
 * @param jobs how many job ids and hashes were checked
 * @param keys how many keys of the queue were scanned
 * @param findings the inconsistencies, each re-checked atomically before it was reported
 */
public record IntegrityReport(String queue, long jobs, long keys, List<IntegrityFinding> findings) {
  public IntegrityReport {
    findings = List.copyOf(findings);
  }

  /** Whether nothing was found. */
  public boolean ok() {
    return findings.isEmpty();
  }

  /** The findings {@code repair} may fix. */
  public List<IntegrityFinding> repairable() {
    return findings.stream().filter(IntegrityFinding::repairable).toList();
  }
}
