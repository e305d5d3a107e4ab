package io.bullpen.spring.boot;

import io.bullpen.AsyncProcessor;
import io.bullpen.BatchProcessor;
import io.bullpen.InvalidOptionException;
import io.bullpen.Processor;
import io.bullpen.QueueNames;
import java.time.Duration;
import java.util.Objects;

/**
 * A worker the starter runs: its queue, its processor and what the declaration says about it. Made from each
 * {@link BullpenWorker} declaration; an application may also declare {@code WorkerDefinition} beans of its own.
 * Settings left unset here come from {@code bullpen.worker.*}; {@code bullpen.workers.<queue>.*} overrides them.
 */
public final class WorkerDefinition {
  private final String queue;
  private final Object processor;
  private final String source;
  private final Integer concurrency;
  private final int batchSize;
  private final Duration batchMaxWait;
  private final String name;

  private WorkerDefinition(String queue, Object processor, String source, Integer concurrency, int batchSize,
      Duration batchMaxWait, String name) {
    this.queue = QueueNames.requireValidName(queue);
    this.processor = Objects.requireNonNull(processor, "processor");
    this.source = source;
    if (concurrency != null && concurrency < 1) {
      throw new InvalidOptionException(source + " concurrency", concurrency, "must be >= 1");
    }
    this.concurrency = concurrency;
    this.batchSize = batchSize;
    this.batchMaxWait = batchMaxWait;
    this.name = name;
  }

  /** A worker running {@code processor} for each job of {@code queue}. */
  public static WorkerDefinition of(String queue, Processor processor) {
    return new WorkerDefinition(queue, processor, "worker of " + queue, null, 0, null, null);
  }

  /** A worker whose processor completes a {@code CompletionStage} per job. */
  public static WorkerDefinition async(String queue, AsyncProcessor processor) {
    return new WorkerDefinition(queue, processor, "worker of " + queue, null, 0, null, null);
  }

  /** A batch worker taking up to {@code batchSize} jobs per call. */
  public static WorkerDefinition batch(String queue, BatchProcessor processor, int batchSize) {
    if (batchSize < 1) {
      throw new InvalidOptionException("batchSize", batchSize, "must be >= 1");
    }
    return new WorkerDefinition(queue, processor, "batch worker of " + queue, null, batchSize, null, null);
  }

  /** This definition with {@code concurrency} jobs (or batches) at once. */
  public WorkerDefinition withConcurrency(int concurrency) {
    return new WorkerDefinition(queue, processor, source, concurrency, batchSize, batchMaxWait, name);
  }

  /** This definition with the worker name {@code name}. */
  public WorkerDefinition withName(String name) {
    return new WorkerDefinition(queue, processor, source, concurrency, batchSize, batchMaxWait, name);
  }

  /** This batch definition waiting at most {@code maxWait} to fill a batch. */
  public WorkerDefinition withBatchMaxWait(Duration maxWait) {
    if (batchSize == 0) {
      throw new InvalidOptionException("batchMaxWait", maxWait, "applies to batch workers only (" + source + ")");
    }
    return new WorkerDefinition(queue, processor, source, concurrency, batchSize, maxWait, name);
  }

  /** This definition described as {@code source} in logs and errors, e.g. {@code mailer#send}. */
  public WorkerDefinition describedAs(String source) {
    return new WorkerDefinition(queue, processor, source, concurrency, batchSize, batchMaxWait, name);
  }

  public String queue() {
    return queue;
  }

  /** A {@link Processor}, {@link AsyncProcessor} or {@link BatchProcessor}. */
  public Object processor() {
    return processor;
  }

  /** Where the worker was declared. */
  public String source() {
    return source;
  }

  /** The concurrency the declaration asks for, or null. */
  public Integer concurrency() {
    return concurrency;
  }

  /** Jobs per batch; 0 for a worker of single jobs. */
  public int batchSize() {
    return batchSize;
  }

  /** The batch wait the declaration asks for, or null. */
  public Duration batchMaxWait() {
    return batchMaxWait;
  }

  /** The worker name the declaration asks for, or null. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "WorkerDefinition{" + queue + ", " + source + (batchSize > 0 ? ", batch " + batchSize : "") + "}";
  }
}
