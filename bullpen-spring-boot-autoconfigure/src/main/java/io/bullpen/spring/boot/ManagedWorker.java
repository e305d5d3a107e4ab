package io.bullpen.spring.boot;

import io.bullpen.Job;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.AbstractWorker;
import java.util.concurrent.atomic.AtomicLong;

/** A worker the starter started: where it was declared, the worker itself, and what it has seen since. */
public final class ManagedWorker {
  private final WorkerDefinition definition;
  private final AbstractWorker<?> worker;
  private final boolean autoStartup;
  private final AtomicLong stalled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  ManagedWorker(WorkerDefinition definition, AbstractWorker<?> worker, boolean autoStartup) {
    this.definition = definition;
    this.worker = worker;
    this.autoStartup = autoStartup;
    worker.addListener(new WorkerListener() {
      @Override
      public void onStalled(String jobId) {
        stalled.incrementAndGet();
      }

      @Override
      public void onFailed(Job job, Throwable error) {
        failed.incrementAndGet();
      }
    });
  }

  public WorkerDefinition definition() {
    return definition;
  }

  /** The {@link io.bullpen.redis.Worker} or {@link io.bullpen.redis.BatchWorker}. */
  public AbstractWorker<?> worker() {
    return worker;
  }

  /** Whether the starter runs it with the context ({@code auto-startup}). */
  public boolean autoStartup() {
    return autoStartup;
  }

  /** Jobs this worker's stalled check put back to wait since it started. */
  public long stalledJobs() {
    return stalled.get();
  }

  /** Failed attempts (retried or not) since it started. */
  public long failedAttempts() {
    return failed.get();
  }

  @Override
  public String toString() {
    return "ManagedWorker{" + definition.queue() + ", " + definition.source() + ", " + worker.id() + "}";
  }
}
