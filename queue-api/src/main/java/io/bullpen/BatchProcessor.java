package io.bullpen;

import java.util.List;

/**
 * Runs a batch of jobs at once (for example one bulk write for all of them) and returns one outcome per job, in
 * the order of {@code jobs}. Throwing fails every job of the batch with that error.
 */
@FunctionalInterface
public interface BatchProcessor {
  List<JobOutcome> process(List<Job> jobs) throws Exception;
}
