package io.bullpen.spring.boot;

import io.bullpen.AsyncProcessor;
import io.bullpen.BatchOptions;
import io.bullpen.BatchProcessor;
import io.bullpen.InvalidOptionException;
import io.bullpen.Processor;
import io.bullpen.observe.JobObserver;
import io.bullpen.redis.AbstractWorker;
import io.bullpen.redis.BatchWorker;
import io.bullpen.redis.RedisConnector;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the declared workers with the application context. Started after the context's other beans (and before
 * the web server takes requests); stopped after the web server: each worker stops fetching, waits up to its
 * {@code close-timeout} for the jobs it holds, then closes, all workers at once. Jobs a worker took but had not
 * started go back to wait; a job still running when the timeout ends is left to the stalled check of the
 * queue's other workers (or of this application when it starts again), which puts it back to wait.
 */
public class BullpenWorkers implements SmartLifecycle {
  /** Before the web server starts, after it stopped (it runs at DEFAULT_PHASE - 2048 and above). */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger LOG = LoggerFactory.getLogger(BullpenWorkers.class);
  private static final Duration DEFAULT_BATCH_WAIT = Duration.ofMillis(10);

  private final RedisConnector connector;
  private final BullpenProperties properties;
  private final DefinitionSource definitions;
  private final List<JobObserver> observers;
  private final Object lifecycle = new Object();
  private volatile List<ManagedWorker> workers = List.of();
  private volatile boolean running;

  /** Where the definitions come from when the context starts. */
  @FunctionalInterface
  public interface DefinitionSource {
    List<WorkerDefinition> definitions();
  }

  public BullpenWorkers(RedisConnector connector, BullpenProperties properties, DefinitionSource definitions) {
    this(connector, properties, definitions, List.of());
  }

  /** Workers whose jobs {@code observers} hear (metrics, tracing), in this order. */
  public BullpenWorkers(RedisConnector connector, BullpenProperties properties, DefinitionSource definitions,
      List<JobObserver> observers) {
    this.connector = connector;
    this.properties = properties;
    this.definitions = definitions;
    this.observers = List.copyOf(observers);
  }

  /** The workers running now (empty before start and after stop). */
  public List<ManagedWorker> workers() {
    return workers;
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (running) {
        return;
      }
      List<WorkerDefinition> all = definitions.definitions();
      warnAboutUnusedSettings(all);
      List<ManagedWorker> created = new ArrayList<>();
      try {
        for (WorkerDefinition definition : all) {
          created.add(create(definition));
        }
        for (ManagedWorker managed : created) {
          if (managed.autoStartup()) {
            managed.worker().run();
          }
        }
      } catch (RuntimeException e) {
        closeAll(created);
        throw e;
      }
      workers = List.copyOf(created);
      running = true;
      if (!created.isEmpty()) {
        LOG.info("Bullpen started {} worker(s): {}", created.size(),
            created.stream().map(m -> m.definition().queue() + " (" + m.definition().source() + ")").toList());
      }
    }
  }

  @Override
  public void stop() {
    synchronized (lifecycle) {
      if (!running) {
        return;
      }
      closeAll(workers);
      workers = List.of();
      running = false;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** Closes every worker, each on a thread of its own, so that their close timeouts overlap. */
  private static void closeAll(List<ManagedWorker> toClose) {
    List<Thread> closers = new ArrayList<>();
    for (ManagedWorker managed : toClose) {
      Thread closer = new Thread(() -> {
        try {
          managed.worker().close();
        } catch (RuntimeException e) {
          LOG.warn("closing {} failed", managed, e);
        }
      }, "bullpen-close-" + managed.definition().queue());
      closer.start();
      closers.add(closer);
    }
    boolean interrupted = false;
    for (Thread closer : closers) {
      while (true) {
        try {
          closer.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private ManagedWorker create(WorkerDefinition definition) {
    String queue = definition.queue();
    WorkerProperties defaults = properties.getWorker();
    WorkerProperties own = properties.getWorkers().get(queue);
    WorkerOptions.Builder b = WorkerOptions.builder().connector(connector).autorun(false);
    observers.forEach(b::observer);
    Props.apply("bullpen.prefix", properties.getPrefix(), b::prefix);
    defaults.applyTo(b, b.build(), "bullpen.worker.");
    try {
      if (definition.concurrency() != null) {
        b.concurrency(definition.concurrency());
      }
      if (definition.name() != null) {
        b.name(definition.name());
      }
    } catch (InvalidOptionException e) {
      throw Props.renamed(definition.source(), e.value(), e);
    }
    if (own != null) {
      own.applyTo(b, b.build(), "bullpen.workers." + queue + ".");
    }
    WorkerOptions options = b.build();
    boolean autoStartup = first(own == null ? null : own.getAutoStartup(), defaults.getAutoStartup(), Boolean.TRUE);
    Object processor = definition.processor();
    AbstractWorker<?> worker;
    if (definition.batchSize() > 0) {
      Duration wait = first(own == null ? null : own.getBatchMaxWait(), definition.batchMaxWait(),
          defaults.getBatchMaxWait(), DEFAULT_BATCH_WAIT);
      BatchOptions batch;
      try {
        batch = BatchOptions.of(definition.batchSize(), wait);
      } catch (InvalidOptionException e) {
        throw Props.renamed(definition.source() + " batch", e.value(), e);
      }
      worker = new BatchWorker(queue, (BatchProcessor) processor, options, batch);
    } else if (processor instanceof AsyncProcessor async) {
      worker = Worker.async(queue, async, options);
    } else {
      worker = new Worker(queue, (Processor) processor, options);
    }
    return new ManagedWorker(definition, worker, autoStartup);
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** A {@code bullpen.workers.<queue>} entry without a worker is most likely a typo. */
  private void warnAboutUnusedSettings(List<WorkerDefinition> all) {
    Set<String> queues = new HashSet<>();
    all.forEach(definition -> queues.add(definition.queue()));
    for (String configured : properties.getWorkers().keySet()) {
      if (!queues.contains(configured)) {
        LOG.warn("bullpen.workers.{} is set, but no worker of queue {} is declared (workers: {})", configured,
            configured, queues);
      }
    }
  }
}
