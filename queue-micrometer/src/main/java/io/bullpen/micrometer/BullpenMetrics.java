package io.bullpen.micrometer;

import io.bullpen.InvalidOptionException;
import io.bullpen.observe.AddObservation;
import io.bullpen.observe.AttemptObservation;
import io.bullpen.observe.AttemptOutcome;
import io.bullpen.observe.AttemptResult;
import io.bullpen.observe.JobAdd;
import io.bullpen.observe.JobAttempt;
import io.bullpen.observe.JobObserver;
import io.bullpen.observe.WorkerInfo;
import io.bullpen.redis.Queue;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer meters of Bullpen queues and workers, per queue (tags {@code queue}, the job {@code name} for up to
 * {@link Builder#maxJobNames} names, {@code outcome}): jobs added, started, completed, failed, retried and stalled,
 * processing and wait timers, active jobs per worker, job counts per state, lock renewal failures. Register it as
 * the observer of the queues and workers to measure and bind it to a registry:
 *
 * <pre>{@code
 * BullpenMetrics metrics = BullpenMetrics.builder().build();
 * metrics.bindTo(registry);
 * Queue queue = new Queue("mail", QueueOptions.builder().redis(config).observer(metrics).build());
 * Worker worker = new Worker("mail", processor, WorkerOptions.builder().redis(config).observer(metrics).build());
 * metrics.monitor(queue);   // bullpen.queue.jobs{state=...}
 * }</pre>
 *
 * <p>Events before {@link #bindTo} are not recorded. Thread-safe.
 */
public final class BullpenMetrics implements JobObserver, MeterBinder {
  /** Counter: jobs added. */
  public static final String ADDED = "bullpen.jobs.added";
  /** Counter: attempts started. */
  public static final String STARTED = "bullpen.jobs.started";
  /** Counter: jobs completed. */
  public static final String COMPLETED = "bullpen.jobs.completed";
  /** Counter: jobs failed for good. */
  public static final String FAILED = "bullpen.jobs.failed";
  /** Counter: failed attempts that will run again. */
  public static final String RETRIED = "bullpen.jobs.retried";
  /** Counter: jobs a worker's stalled check recovered. */
  public static final String STALLED = "bullpen.jobs.stalled";
  /** Timer: processor run time, tagged with the attempt's outcome. */
  public static final String PROCESSING = "bullpen.jobs.processing";
  /** Timer: time from runnable (added, or its delay over) to the first start. */
  public static final String WAIT = "bullpen.jobs.wait";
  /** Gauge: jobs a worker holds. */
  public static final String ACTIVE = "bullpen.worker.active.jobs";
  /** Gauge: jobs per state of a monitored queue. */
  public static final String QUEUE_JOBS = "bullpen.queue.jobs";
  /** Counter: lock renewals that failed (the job may run twice). */
  public static final String LOCK_RENEWAL_FAILURES = "bullpen.locks.renewal.failures";

  private final Tags commonTags;
  private final JobNames names;
  private final boolean histograms;
  private final Duration countsRefresh;
  private final Map<String, JobMeters> jobMeters = new ConcurrentHashMap<>();
  private final Map<String, Counter> queueCounters = new ConcurrentHashMap<>();
  private final Map<String, Gauge> workers = new ConcurrentHashMap<>();
  private final Map<String, QueueCounts> monitored = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  private BullpenMetrics(Builder b) {
    this.commonTags = b.tags;
    this.names = new JobNames(b.maxJobNames);
    this.histograms = b.histograms;
    this.countsRefresh = b.countsRefresh;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts recording into {@code registry}; a second registry is refused (bind a composite instead). */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (registry == null) {
      throw new InvalidOptionException("registry", null, "must not be null");
    }
    if (this.registry != null && this.registry != registry) {
      throw new IllegalStateException("BullpenMetrics is bound to " + this.registry
          + " already; bind one CompositeMeterRegistry to record into several");
    }
    this.registry = registry;
  }

  /**
   * Gauges {@value #QUEUE_JOBS} of {@code queue}, one per state, all refreshed by one {@code getJobCounts} call at
   * most once per {@link Builder#countsRefresh} interval, when read. Requires {@link #bindTo} first.
   */
  public void monitor(Queue queue) {
    MeterRegistry r = requireRegistry();
    monitored.computeIfAbsent(queue.name(), n -> {
      QueueCounts counts = new QueueCounts(queue, countsRefresh, System::nanoTime);
      counts.register(r, commonTags);
      return counts;
    });
  }

  /** Stops the job-count gauges of the queue {@code queueName} (for example before closing it). */
  public void unmonitor(String queueName) {
    QueueCounts counts = monitored.remove(queueName);
    MeterRegistry r = registry;
    if (counts != null && r != null) {
      counts.remove(r);
    }
  }

  /**
   * Client resources whose command latency Lettuce records in {@code registry} itself ({@code
   * lettuce.command.completion} and {@code lettuce.command.firstresponse}, tagged by command and server), for
   * {@code RedisConnector.create(config, resources)}; shut them down after the connector.
   */
  public static ClientResources lettuceResources(MeterRegistry registry) {
    return ClientResources.builder()
        .commandLatencyRecorder(new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.create()))
        .build();
  }

  @Override
  public AddObservation addStarting(String queueName, List<JobAdd> jobs) {
    if (registry == null) {
      return AddObservation.NONE;
    }
    return new AddObservation() {
      @Override
      public void added(List<String> jobIds) {
        for (JobAdd job : jobs) {
          meters(queueName, job.name()).added.increment();
        }
      }
    };
  }

  @Override
  public AttemptObservation attemptStarting(JobAttempt attempt) {
    if (registry == null) {
      return AttemptObservation.NONE;
    }
    JobMeters m = meters(attempt.queueName(), attempt.job().name());
    m.started.increment();
    if (attempt.attempt() == 1) {
      m.waitTime.record(attempt.waitTime());
    }
    return new AttemptObservation() {
      @Override
      public void settled(AttemptResult result) {
        m.processing(result.outcome()).record(result.processingTime());
        if (result.outcome() == AttemptOutcome.COMPLETED) {
          m.completed.increment();
        } else if (result.outcome() == AttemptOutcome.FAILED) {
          m.failed.increment();
        } else if (result.outcome() == AttemptOutcome.RETRIED) {
          m.retried.increment();
        }
      }
    };
  }

  @Override
  public void workerStarted(WorkerInfo worker) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    workers.computeIfAbsent(worker.workerId(), id -> Gauge.builder(ACTIVE, worker.activeJobs(), s -> s.getAsInt())
        .description("Jobs the worker holds (running or about to run)")
        .tags(commonTags).tag("queue", worker.queueName()).tag("worker", id).register(r));
  }

  @Override
  public void workerClosed(WorkerInfo worker) {
    Gauge gauge = workers.remove(worker.workerId());
    MeterRegistry r = registry;
    if (gauge != null && r != null) {
      r.remove(gauge);
    }
  }

  @Override
  public void jobStalled(String queueName, String jobId) {
    if (registry != null) {
      queueCounter(STALLED, "Jobs recovered by a stalled check", queueName).increment();
    }
  }

  @Override
  public void lockRenewalFailed(String queueName, String jobId) {
    if (registry != null) {
      queueCounter(LOCK_RENEWAL_FAILURES, "Job locks a worker could not renew", queueName).increment();
    }
  }

  private JobMeters meters(String queue, String jobName) {
    String name = names.tag(jobName);
    return jobMeters.computeIfAbsent(queue + '\u0000' + name,
        k -> new JobMeters(registry, commonTags.and("queue", queue, "name", name), histograms));
  }

  private Counter queueCounter(String meter, String description, String queue) {
    return queueCounters.computeIfAbsent(meter + '\u0000' + queue,
        k -> Counter.builder(meter).description(description).tags(commonTags).tag("queue", queue).register(registry));
  }

  private MeterRegistry requireRegistry() {
    MeterRegistry r = registry;
    if (r == null) {
      throw new IllegalStateException("bind BullpenMetrics to a registry (bindTo) before monitoring a queue");
    }
    return r;
  }

  /** Builds {@link BullpenMetrics}; every setter validates its value at once. */
  public static final class Builder {
    private Tags tags = Tags.empty();
    private int maxJobNames = 100;
    private boolean histograms = true;
    private Duration countsRefresh = Duration.ofSeconds(10);

    private Builder() {}

    /** Tags added to every meter. */
    public Builder tags(Iterable<Tag> tags) {
      if (tags == null) {
        throw new InvalidOptionException("tags", null, "must not be null");
      }
      this.tags = Tags.of(tags);
      return this;
    }

    /**
     * How many distinct job names get a {@code name} tag of their own (100 by default); later names share {@code
     * name="other"}. 0 drops the job name ({@code name="any"}).
     */
    public Builder maxJobNames(int max) {
      if (max < 0) {
        throw new InvalidOptionException("maxJobNames", max, "must be >= 0");
      }
      this.maxJobNames = max;
      return this;
    }

    /** Whether the timers publish percentile histograms (on by default, for Prometheus' histogram_quantile). */
    public Builder percentileHistograms(boolean enabled) {
      this.histograms = enabled;
      return this;
    }

    /** How old the job-count snapshot of a monitored queue may get before a read refreshes it (10 s by default). */
    public Builder countsRefresh(Duration interval) {
      if (interval == null || interval.isNegative()) {
        throw new InvalidOptionException("countsRefresh", interval, "must be >= 0");
      }
      this.countsRefresh = interval;
      return this;
    }

    public BullpenMetrics build() {
      return new BullpenMetrics(this);
    }
  }
}
