package io.bullpen.spring.boot;

import io.bullpen.micrometer.BullpenMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * Bullpen's Micrometer meters, where queue-micrometer and Micrometer are on the class path: a
 * {@link BullpenMetrics} bean, which observes every queue and worker (it is a {@code JobObserver}) and which Spring
 * Boot binds to the application's registry (it is a {@code MeterBinder}); and, once the context runs, the job-count
 * gauges of every configured queue and every queue a worker takes from. {@code bullpen.metrics.enabled=false}
 * turns them off.
 */
@AutoConfiguration(before = BullpenAutoConfiguration.class)
@ConditionalOnClass({BullpenMetrics.class, MeterRegistry.class})
@ConditionalOnProperty(prefix = "bullpen.metrics", name = "enabled", havingValue = "true", matchIfMissing = true)
public class BullpenMetricsAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  public BullpenMetrics bullpenMetrics() {
    return BullpenMetrics.builder().build();
  }

  @Bean
  @ConditionalOnMissingBean
  public QueueCountGauges bullpenQueueCountGauges(BullpenMetrics metrics, ObjectProvider<Queues> queues,
      ObjectProvider<BullpenWorkers> workers, ObjectProvider<MeterRegistry> registries) {
    return new QueueCountGauges(metrics, queues, workers, registries);
  }

  /**
   * Starts the {@code bullpen.queue.jobs} gauges after the workers started, when Boot has bound the meters to its
   * registry; without a registry there is nothing to gauge.
   */
  public static class QueueCountGauges implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(QueueCountGauges.class);
    private final BullpenMetrics metrics;
    private final ObjectProvider<Queues> queues;
    private final ObjectProvider<BullpenWorkers> workers;
    private final ObjectProvider<MeterRegistry> registries;
    private final Set<String> monitored = new LinkedHashSet<>();
    private volatile boolean running;

    QueueCountGauges(BullpenMetrics metrics, ObjectProvider<Queues> queues, ObjectProvider<BullpenWorkers> workers,
        ObjectProvider<MeterRegistry> registries) {
      this.metrics = metrics;
      this.queues = queues;
      this.workers = workers;
      this.registries = registries;
    }

    @Override
    public synchronized void start() {
      Queues all = queues.getIfAvailable();
      if (all == null || registries.getIfAvailable() == null) {
        running = true;
        return;
      }
      Set<String> names = new LinkedHashSet<>(all.configuredNames());
      BullpenWorkers running = workers.getIfAvailable();
      if (running != null) {
        running.workers().forEach(managed -> names.add(managed.definition().queue()));
      }
      for (String name : names) {
        try {
          metrics.monitor(all.get(name));
          monitored.add(name);
        } catch (IllegalStateException e) {
          LOG.debug("no job-count gauges for queue {}: {}", name, e.getMessage());
        }
      }
      this.running = true;
    }

    @Override
    public synchronized void stop() {
      monitored.forEach(metrics::unmonitor);
      monitored.clear();
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    /** Right after the workers, so that their queues are known. */
    @Override
    public int getPhase() {
      return BullpenWorkers.PHASE + 1;
    }
  }
}
