package io.bullpen.redis;

import io.bullpen.AsyncProcessor;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.Processor;
import io.bullpen.redis.internal.worker.WorkerCore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Takes jobs from one queue and runs them through a processor, with BullMQ 6's semantics, so Java and Node
 * workers can share a queue: locks renewed while a job runs, retries with BullMQ's backoff formulas, stalled
 * jobs recovered, keep policies applied when jobs finish.
 *
 * <pre>{@code
 * Processor send = job -> mailer.send(job.data(Email.class));
 * try (Worker worker = new Worker("emails", send,
 *     WorkerOptions.builder().redis(RedisConfig.of("redis://127.0.0.1:6379")).concurrency(4).build())) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Processors that return a {@code CompletionStage} use {@link #async(String, AsyncProcessor, WorkerOptions)}.
 *
 * <p>A processor's exception fails the attempt (retried while attempts remain, unless it is an
 * {@link io.bullpen.UnrecoverableError}); {@link io.bullpen.RateLimitError} returns the job to wait without using an
 * attempt. Nothing a processor or listener throws stops the worker, and the worker keeps trying while Redis is
 * unreachable.
 */
public final class Worker extends AbstractWorker<Worker> {

  /** A worker running {@code processor} on the worker's executor for each job of {@code queueName}. */
  public Worker(String queueName, Processor processor, WorkerOptions options) {
    this(queueName, options, synchronous(requireProcessor(processor)));
  }

  /**
   * A worker for processors that are asynchronous already; a job's slot is held until its stage completes.
   * A factory rather than a constructor overload, so that {@code new Worker(queue, job -> ..., options)} with an
   * untyped lambda always means a {@link Processor}.
   */
  public static Worker async(String queueName, AsyncProcessor processor, WorkerOptions options) {
    return new Worker(queueName, options, asynchronous(requireProcessor(processor)));
  }

  private static <P> P requireProcessor(P processor) {
    if (processor == null) {
      throw new InvalidOptionException("processor", null, "is required");
    }
    return processor;
  }

  private Worker(String queueName, WorkerOptions options, Function<Job, CompletionStage<?>> processor) {
    super(WorkerCore.forJobs(connections(options), queueName, options, processor));
  }

  private static Function<Job, CompletionStage<?>> synchronous(Processor processor) {
    return job -> {
      try {
        return CompletableFuture.completedFuture(processor.process(job));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    };
  }

  private static Function<Job, CompletionStage<?>> asynchronous(AsyncProcessor processor) {
    return processor::process;
  }

  @Override
  public String toString() {
    return "Worker{" + queueName() + ", id=" + id()
        + (options().name().isPresent() ? ", name=" + options().name().get() : "") + "}";
  }
}
