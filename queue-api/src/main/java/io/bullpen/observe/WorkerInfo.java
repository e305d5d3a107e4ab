package io.bullpen.observe;

import java.util.function.IntSupplier;

/**
 * A running worker, for gauges.
 *
 * @param queueName the queue it works on
 * @param workerId its id (unique per worker instance)
 * @param concurrency how many jobs it runs at once at most (for a batch worker: batches)
 * @param activeJobs reads how many jobs it holds now
 */
public record WorkerInfo(String queueName, String workerId, int concurrency, IntSupplier activeJobs) {}
