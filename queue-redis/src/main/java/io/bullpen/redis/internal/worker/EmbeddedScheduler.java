package io.bullpen.redis.internal.worker;

import io.bullpen.redis.WorkerOptions;
import io.bullpen.redis.internal.connection.ConnectionScope;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.scheduling.RedisDelayedJobFeed;
import io.bullpen.redis.internal.scheduling.RedisScheduledQueue;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.scheduler.QueueScheduler;
import io.bullpen.scheduler.QueueSchedulerOptions;
import io.bullpen.scheduler.SchedulerListener;
import io.bullpen.scheduler.Ticker;
import java.util.List;

/** The QueueScheduler a worker runs for its own queue, set up from the worker's options. */
final class EmbeddedScheduler {
  private EmbeddedScheduler() {}

  /**
   * A scheduler (not started) on the worker's command connection, with a connection of its own for the feed of
   * delayed jobs, released when the scheduler closes.
   * Stalled jobs and errors go to the worker's listeners.
   */
  public static QueueScheduler create(ConnectionScope connections, QueueKeys keys, WorkerOptions options,
      WorkerEvents events) {
    RedisScheduledQueue queue = new RedisScheduledQueue(keys, new ScriptRunner(connections.commands()),
        options.redis().commandTimeout().toMillis());
    QueueScheduler scheduler = new QueueScheduler(List.of(queue),
        new RedisDelayedJobFeed(() -> connections.openDedicated(null), List.of(queue), () -> { }),
        QueueSchedulerOptions.builder()
            .stalledInterval(options.stalled().interval())
            .maxStalledCount(options.stalled().maxCount())
            .stalledChecks(!options.stalled().skipCheck())
            .ticker(Ticker.of(options.clock()))
            .build());
    scheduler.addListener(new SchedulerListener() {
      @Override
      public void onStalled(String queueName, String jobId) {
        events.stalled(jobId);
      }

      @Override
      public void onError(String queueName, Throwable error) {
        events.error(error);
      }
    });
    return scheduler;
  }
}
