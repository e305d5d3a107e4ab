package io.bullpen.scheduler;

import java.util.List;

/**
 * The queue operation a {@link StalledJobChecker} drives, implemented by a storage backend (Redis in
 * queue-redis). Keeping it an interface lets the periodic logic be tested without a server.
 */
@FunctionalInterface
public interface StalledJobOperations {
  /**
   * Runs one stalled-job check: returns jobs whose owner stopped renewing their lock to wait (or marks them
   * failed past the stall limit) and records the active jobs for the next check.
   *
   * @return ids of the jobs found stalled and moved back; empty when there were none or another worker ran the
   *     check within the current interval
   */
  List<String> moveStalledJobsToWait();
}
