package io.bullpen.micrometer;

import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The job-count gauges of one queue, one per state, all fed by one snapshot: reading a gauge whose snapshot is
 * older than the refresh interval starts one {@code getJobCounts} call (one script) for every state, and the
 * gauges show the last snapshot meanwhile. At most one call is in flight, so a scrape never waits for Redis and a
 * registry with many gauges never makes more than one call per interval.
 */
final class QueueCounts {
  private final Queue queue;
  private final long refreshNanos;
  private final LongSupplier nanoTime;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final List<Meter> meters = new ArrayList<>();
  private volatile Map<JobState, Long> snapshot = Map.of();
  private volatile long takenAtNanos;
  private volatile boolean taken;

  QueueCounts(Queue queue, Duration refresh, LongSupplier nanoTime) {
    this.queue = queue;
    this.refreshNanos = refresh.toNanos();
    this.nanoTime = nanoTime;
  }

  void register(MeterRegistry registry, Tags tags) {
    for (JobState state : JobState.values()) {
      if (state == JobState.UNKNOWN) {
        continue;
      }
      meters.add(Gauge.builder(BullpenMetrics.QUEUE_JOBS, this, c -> c.read(state))
          .description("Jobs in each state, from one atomic count per refresh")
          .tags(tags).tag("queue", queue.name()).tag("state", state.name().toLowerCase(Locale.ROOT))
          .register(registry));
    }
  }

  private double read(JobState state) {
    maybeRefresh();
    Long count = snapshot.get(state);
    return count == null ? Double.NaN : count;
  }

  private void maybeRefresh() {
    long now = nanoTime.getAsLong();
    if (taken && now - takenAtNanos < refreshNanos) {
      return;
    }
    if (!refreshing.compareAndSet(false, true)) {
      return;
    }
    try {
      queue.getJobCountsAsync().whenComplete((counts, error) -> {
        if (error == null) {
          snapshot = new EnumMap<>(counts);
        }
        takenAtNanos = nanoTime.getAsLong();
        taken = true;
        refreshing.set(false);
      });
    } catch (RuntimeException e) {
      // A closed queue: the gauges keep their last values.
      takenAtNanos = now;
      taken = true;
      refreshing.set(false);
    }
  }

  /** Removes the gauges from {@code registry}. */
  void remove(MeterRegistry registry) {
    meters.forEach(registry::remove);
  }
}
