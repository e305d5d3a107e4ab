package io.bullpen.redis.internal.worker;

import io.bullpen.redis.WorkerOptions;
import io.bullpen.redis.internal.connection.WorkerConnections;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.scheduling.RedisDelayedJobFeed;
import io.bullpen.redis.internal.scheduling.RedisScheduledQueue;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.scheduler.QueueScheduler;
import io.bullpen.scheduler.QueueSchedulerOptions;
import io.bullpen.scheduler.SchedulerListener;
import io.bullpen.scheduler.Ticker;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;

/** The QueueScheduler a worker runs for its own queue, set up from the worker's options. */
final class EmbeddedScheduler {
  private EmbeddedScheduler() {}

  /**
   * A scheduler (not started) with two connections of its own from the worker's client, closed with it: one for
   * its scripts, so that a promotion due now never queues behind the worker's commands, and one for the feed.
   * Stalled jobs and errors go to the worker's listeners.
   */
  public static QueueScheduler create(WorkerConnections connections, QueueKeys keys, WorkerOptions options,
      WorkerEvents events) {
    StatefulRedisConnection<String, String> own = connections.openUnnamed();
    RedisScheduledQueue queue = new RedisScheduledQueue(keys, new ScriptRunner(own.async()),
        options.redis().commandTimeout().toMillis());
    QueueScheduler scheduler = new QueueScheduler(List.of(queue),
        new RedisDelayedJobFeed(connections::openUnnamed, List.of(queue), own::close),
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
