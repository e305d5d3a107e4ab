package io.bullpen.redis;

import io.bullpen.BatchOptions;
import io.bullpen.BatchProcessor;
import io.bullpen.redis.internal.worker.WorkerCore;

/**
 * A worker whose processor takes a batch of jobs at once: up to {@link BatchOptions#size()} jobs per call,
 * collected for at most {@link BatchOptions#maxWait()} once the first is in, with one outcome per job
 * ({@link io.bullpen.JobOutcome}: completed, failed, retry later). A batch is claimed with one script call and
 * settled with one more, which also claims the next batch, so Redis does two script calls per batch instead of
 * one per job. In Redis every job is an ordinary BullMQ job with its own lock, events and retries: Node workers
 * and dashboards see nothing unusual.
 *
 * <pre>{@code
 * BatchProcessor store = jobs -> {
 *   database.insertAll(jobs.stream().map(j -> j.data(Row.class)).toList());
 *   return jobs.stream().map(j -> JobOutcome.completed(null)).toList();
 * };
 * try (BatchWorker worker = new BatchWorker("rows", store, options, BatchOptions.of(50, Duration.ofMillis(20)))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link WorkerOptions#concurrency()} is the number of batches run at once. Everything else in
 * {@link WorkerOptions} means what it means for a {@link Worker} (locks, stalled check, rate limits, keep
 * policies, backoff strategies, executor, close timeout), and so do cancellation, progress and job logs: both
 * kinds run on one engine ({@link AbstractWorker}). A job cancelled while its batch runs fails with the cancel's
 * reason unless its outcome is {@code completed}.
 */
public final class BatchWorker extends AbstractWorker<BatchWorker> {
  private final BatchOptions batch;

  public BatchWorker(String queueName, BatchProcessor processor, WorkerOptions options, BatchOptions batch) {
    super(WorkerCore.forBatches(connections(options), queueName, options, batch, processor));
    this.batch = batch;
  }

  public BatchOptions batchOptions() {
    return batch;
  }

  /** Slots in use: batches being collected or run right now. */
  public int activeBatches() {
    return core().slotsInUse();
  }

  @Override
  public String toString() {
    return "BatchWorker{" + queueName() + ", id=" + id() + ", " + batch + "}";
  }
}
