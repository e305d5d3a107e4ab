package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.BullpenException;
import io.bullpen.Job;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.internal.connection.ConnectionScope;
import io.bullpen.redis.internal.worker.WorkerCore;

/**
 * What every worker kind does, on one engine: fetching, lock renewal, stalled-job recovery, cancellation,
 * progress, buffered job logs, settling with BullMQ's retry rules, pause, resume and close. {@link Worker} runs
 * one job per processor call, {@link BatchWorker} a batch of them; everything here means the same for both.
 *
 * @param <W> the worker kind, returned by the chaining methods
 */
public abstract sealed class AbstractWorker<W extends AbstractWorker<W>> implements AutoCloseable
    permits Worker, BatchWorker {
  private final WorkerCore core;

  /** The connections a worker with {@code options} uses: its connector's, or its own. */
  static ConnectionScope connections(WorkerOptions options) {
    if (options == null) {
      throw new InvalidOptionException("options", null, "are required");
    }
    return RedisConnector.scope(options.connector().orElse(null), options.redis());
  }

  AbstractWorker(WorkerCore core) {
    this.core = core;
    if (core.options().autorun()) {
      core.run();
    }
  }

  /**
   * Starts fetching jobs (done by the constructor unless {@code autorun} is off).
   *
   * @throws BullpenException if the worker is running already or closed
   */
  public void run() {
    core.run();
  }

  /**
   * Stops taking new jobs; jobs in flight run to their end. The stalled check pauses too (delayed jobs are still
   * moved to wait when due). Returns at once; see {@link #pause(boolean)} to wait for the jobs in flight.
   */
  public void pause() {
    core.pause(false);
  }

  /**
   * {@link #pause()}, and with {@code waitForActive} return only once every job this worker had taken is settled
   * (completed, failed or retried), as BullMQ's {@code worker.pause()} does. Returns early when the worker is
   * force-closed meanwhile.
   *
   * @throws BullpenException when the calling thread is interrupted while waiting
   */
  public void pause(boolean waitForActive) {
    core.pause(waitForActive);
  }

  /** Takes jobs again after {@link #pause()}. */
  public void resume() {
    core.resume();
  }

  public boolean isPaused() {
    return core.isPaused();
  }

  /** Whether the worker has been started and is not closing. */
  public boolean isRunning() {
    return core.isRunning();
  }

  /**
   * Stops every worker of the queue that has a rate limit (its own or the queue's) from starting jobs for
   * {@code millis}, as BullMQ's {@code worker.rateLimit} does. Throw {@link io.bullpen.RateLimitError} from the
   * processor afterwards to hand the current job back without using an attempt.
   */
  public void rateLimit(long millis) {
    core.rateLimit(millis);
  }

  /**
   * Cancels job {@code jobId} if this worker is running it (BullMQ's local {@code worker.cancelJob}): its
   * processor sees {@link Job#cancellation()} cancelled, and when it stops by throwing (or, in a batch, returns a
   * failure or a retry), the job fails with {@code reason} and is not retried. Returns false when this worker is
   * not running the job. To reach whichever process runs a job, use {@link Queue#cancelJob(String, String)}.
   */
  public boolean cancelJob(String jobId, String reason) {
    return core.cancelJob(jobId, reason);
  }

  /** Cancels every job this worker is running; returns how many. */
  public int cancelAllJobs(String reason) {
    return core.cancelAllJobs(reason);
  }

  public W addListener(WorkerListener listener) {
    core.addListener(listener);
    return self();
  }

  public W removeListener(WorkerListener listener) {
    core.removeListener(listener);
    return self();
  }

  public String queueName() {
    return core.queueName();
  }

  public WorkerOptions options() {
    return core.options();
  }

  /** The unique id of this worker; lock tokens are {@code <id>:<n>}. */
  public String id() {
    return core.id();
  }

  /** Jobs this worker holds right now: taken from Redis and not yet settled. */
  public int activeCount() {
    return core.activeJobs();
  }

  /** Running, paused, jobs held, time since the last answered fetch and reconnects, read at once. */
  public WorkerHealth health() {
    return core.health();
  }

  /** Stops fetching, waits up to {@code closeTimeout} for jobs in flight, then releases every resource. */
  @Override
  public void close() {
    core.close(false);
  }

  /**
   * Closes the worker. With {@code force} it does not wait for jobs in flight: they are abandoned, keep running
   * on threads the worker no longer watches, and their jobs are recovered as stalled by the queue's workers.
   */
  public void close(boolean force) {
    core.close(force);
  }

  final WorkerCore core() {
    return core;
  }

  @SuppressWarnings("unchecked")
  private W self() {
    return (W) this;
  }
}
