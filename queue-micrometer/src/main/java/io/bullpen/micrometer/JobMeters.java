package io.bullpen.micrometer;

import io.bullpen.observe.AttemptOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The meters of one job name in one queue, made once and then reused for every job. */
final class JobMeters {
  final Counter added;
  final Counter started;
  final Counter completed;
  final Counter failed;
  final Counter retried;
  final Timer waitTime;
  private final Map<AttemptOutcome, Timer> processing = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Tags tags;
  private final boolean histograms;

  JobMeters(MeterRegistry registry, Tags tags, boolean histograms) {
    this.registry = registry;
    this.tags = tags;
    this.histograms = histograms;
    added = counter(registry, BullpenMetrics.ADDED, "Jobs added", tags);
    started = counter(registry, BullpenMetrics.STARTED, "Attempts started by workers", tags);
    completed = counter(registry, BullpenMetrics.COMPLETED, "Jobs completed", tags);
    failed = counter(registry, BullpenMetrics.FAILED, "Jobs failed for good", tags);
    retried = counter(registry, BullpenMetrics.RETRIED, "Failed attempts that will be retried", tags);
    waitTime = Timer.builder(BullpenMetrics.WAIT)
        .description("Time a job waited from being runnable to its first start")
        .tags(tags).publishPercentileHistogram(histograms).register(registry);
  }

  /** The processing timer of {@code outcome}, made at its first use (most jobs never see most outcomes). */
  Timer processing(AttemptOutcome outcome) {
    return processing.computeIfAbsent(outcome, o -> Timer.builder(BullpenMetrics.PROCESSING)
        .description("Time the processor ran, by how the attempt ended")
        .tags(tags).tag("outcome", o.name().toLowerCase(Locale.ROOT))
        .publishPercentileHistogram(histograms).register(registry));
  }

  private static Counter counter(MeterRegistry registry, String name, String description, Tags tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }
}
