package io.bullpen.redis.internal.worker;

import io.bullpen.LockLostException;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.redis.internal.connection.ConnectionScope;
import io.bullpen.redis.internal.connection.RedisLink;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.settle.WorkerScripts;
import io.bullpen.scheduler.QueueScheduler;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The background duties every worker kind shares ({@link io.bullpen.redis.Worker} and
 * {@link io.bullpen.redis.BatchWorker}): the marker wait that idle fetch loops block on, the one lock-renewal timer,
 * and the embedded {@link QueueScheduler}, with their start, pause and stop rules in one place.
 */
final class WorkerDuties {
  private final WorkerState state;
  private final WorkerEvents events;
  private final MarkerWaiter markerWaiter;
  private final LockRenewer lockRenewer;
  private final QueueScheduler scheduler;

  /** @param openBlocking opens the named connection the marker wait blocks on (again after a failure) */
  public WorkerDuties(Supplier<RedisLink> openBlocking, ConnectionScope connections, QueueKeys keys,
      WorkerOptions options, WorkerScripts scripts, WorkerState state, WorkerEvents events,
      Consumer<LockLostException> onLockLost, String threadPrefix) {
    this.state = state;
    this.events = events;
    this.markerWaiter = new MarkerWaiter(openBlocking, connections::suspectStuckNode, keys.marker(),
        options.drainDelay().toMillis(), options.redis().commandTimeout().toMillis(), options.clock());
    connections.onTopologyChanged(markerWaiter::abandonWait);
    this.lockRenewer = options.locks().skipRenewal() ? null
        : new LockRenewer(scripts, options.locks().duration().toMillis(), options.locks().renewTime().toMillis(),
            events::error, onLockLost, threadPrefix + "-locks");
    this.scheduler = options.runQueueScheduler() ? EmbeddedScheduler.create(connections, keys, options, events) : null;
  }

  public MarkerWaiter markerWaiter() {
    return markerWaiter;
  }

  /** The lock-renewal timer, or null when the worker skips lock renewal. */
  public LockRenewer lockRenewer() {
    return lockRenewer;
  }

  /** Starts every duty; a Redis failure is reported and the fetch loop connects again once Redis is back. */
  public void start() {
    try {
      markerWaiter.connect();
    } catch (RuntimeException e) {
      events.error(e);
    }
    if (lockRenewer != null) {
      lockRenewer.start();
    }
    if (scheduler != null) {
      if (state.isPaused()) {
        scheduler.pauseStalledChecks();
      }
      scheduler.start();
    }
  }

  /** Stops taking work; the stalled check pauses too (delayed jobs are still promoted when due). */
  public void pause() {
    state.setPaused(true);
    if (scheduler != null) {
      scheduler.pauseStalledChecks();
    }
  }

  public void resume(boolean closed) {
    state.setPaused(false);
    if (scheduler != null && !closed) {
      scheduler.resumeStalledChecks();
    }
  }

  /** First step of closing: no more scheduling and no more blocking on the marker. */
  public void stopWaiting() {
    if (scheduler != null) {
      scheduler.close();
    }
    markerWaiter.close();
  }

  /** Last step of closing, once jobs in flight have ended: stop renewing their locks. */
  public void stopLockRenewal() {
    if (lockRenewer != null) {
      lockRenewer.close();
    }
  }
}
