package io.bullpen.redis;

import io.bullpen.Backoff;
import io.bullpen.BackoffStrategy;
import io.bullpen.InvalidOptionException;
import io.bullpen.KeepJobs;
import io.bullpen.Limiter;
import io.bullpen.TimeLimits;
import io.bullpen.observe.JobObserver;
import io.bullpen.redis.internal.keys.QueueKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Immutable settings of a {@link Worker}, with BullMQ 6's names and defaults. Only {@link Builder#redis} is
 * required; every setter validates its value at once.
 *
 * <pre>{@code
 * WorkerOptions options = WorkerOptions.builder()
 *     .redis(RedisConfig.of("redis://127.0.0.1:6379"))
 *     .concurrency(8)
 *     .locks(LockOptions.builder().duration(Duration.ofSeconds(60)).build())
 *     .build();
 * }</pre>
 */
public final class WorkerOptions {
  private final RedisConfig redis;
  private final RedisConnector connector;
  private final String prefix;
  private final int concurrency;
  private final LockOptions locks;
  private final StalledOptions stalled;
  private final Duration drainDelay;
  private final Limiter limiter;
  private final String name;
  private final boolean autorun;
  private final KeepJobs removeOnComplete;
  private final KeepJobs removeOnFail;
  private final Executor executor;
  private final Map<String, BackoffStrategy> backoffStrategies;
  private final Integer maxStartedAttempts;
  private final boolean runQueueScheduler;
  private final Clock clock;
  private final Duration closeTimeout;
  private final Duration maximumRateLimitDelay;
  private final Set<String> capabilities;
  private final List<JobObserver> observers;
  private final int metricsMaxDataPoints;

  private WorkerOptions(Builder b) {
    this.redis = b.redis;
    this.connector = b.connector;
    this.prefix = b.prefix;
    this.concurrency = b.concurrency;
    this.locks = b.locks;
    this.stalled = b.stalled;
    this.drainDelay = b.drainDelay;
    this.limiter = b.limiter;
    this.name = b.name;
    this.autorun = b.autorun;
    this.removeOnComplete = b.removeOnComplete;
    this.removeOnFail = b.removeOnFail;
    this.executor = b.executor;
    this.backoffStrategies = Collections.unmodifiableMap(new LinkedHashMap<>(b.backoffStrategies));
    this.maxStartedAttempts = b.maxStartedAttempts;
    this.runQueueScheduler = b.runQueueScheduler;
    this.clock = b.clock;
    this.closeTimeout = b.closeTimeout;
    this.maximumRateLimitDelay = b.maximumRateLimitDelay;
    this.capabilities = Collections.unmodifiableSet(new LinkedHashSet<>(b.capabilities));
    this.observers = List.copyOf(b.observers);
    this.metricsMaxDataPoints = b.metricsMaxDataPoints;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options' values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.redis = redis;
    b.connector = connector;
    b.prefix = prefix;
    b.concurrency = concurrency;
    b.locks = locks;
    b.stalled = stalled;
    b.drainDelay = drainDelay;
    b.limiter = limiter;
    b.name = name;
    b.autorun = autorun;
    b.removeOnComplete = removeOnComplete;
    b.removeOnFail = removeOnFail;
    b.executor = executor;
    b.backoffStrategies.putAll(backoffStrategies);
    b.maxStartedAttempts = maxStartedAttempts;
    b.runQueueScheduler = runQueueScheduler;
    b.clock = clock;
    b.closeTimeout = closeTimeout;
    b.maximumRateLimitDelay = maximumRateLimitDelay;
    b.capabilities.addAll(capabilities);
    b.observers.addAll(observers);
    b.metricsMaxDataPoints = metricsMaxDataPoints;
    return b;
  }

  /**
   * The connector whose connections are shared, if {@link Builder#connector} named one; empty: connections of its
   * own, from {@link #redis()}.
   */
  public Optional<RedisConnector> connector() {
    return Optional.ofNullable(connector);
  }

  public RedisConfig redis() {
    return redis;
  }

  /** Key prefix of the queue, {@code bull} by default. */
  public String prefix() {
    return prefix;
  }

  /** Most jobs this worker runs at the same time (1 by default). */
  public int concurrency() {
    return concurrency;
  }

  /** How the worker holds the locks of its jobs ({@link LockOptions#defaults()} unless set). */
  public LockOptions locks() {
    return locks;
  }

  /** How stalled jobs are recovered ({@link StalledOptions#defaults()} unless set). */
  public StalledOptions stalled() {
    return stalled;
  }

  /** Longest wait for new jobs while idle before looking again (5 s by default). */
  public Duration drainDelay() {
    return drainDelay;
  }

  /** The worker's rate limit, if any (a limit stored on the queue overrides its {@code max}). */
  public Optional<Limiter> limiter() {
    return Optional.ofNullable(limiter);
  }

  /** The worker's name: written to jobs as {@code pb} and part of the Redis client name. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** Whether the worker starts fetching as soon as it is constructed (true by default). */
  public boolean autorun() {
    return autorun;
  }

  /** Keep policy for completed jobs that carry none of their own (keep all by default). */
  public KeepJobs removeOnComplete() {
    return removeOnComplete;
  }

  /** Keep policy for failed jobs that carry none of their own (keep all by default). */
  public KeepJobs removeOnFail() {
    return removeOnFail;
  }

  /** The executor processors run on; empty means the worker owns a pool of {@link #concurrency()} threads. */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /** Custom backoff strategies by type name. */
  public Map<String, BackoffStrategy> backoffStrategies() {
    return backoffStrategies;
  }

  /** If set, a job started more often than this fails at once. */
  public OptionalInt maxStartedAttempts() {
    return maxStartedAttempts == null ? OptionalInt.empty() : OptionalInt.of(maxStartedAttempts);
  }

  /**
   * Whether the worker runs a {@link io.bullpen.scheduler.QueueScheduler} for its queue: delayed jobs moved to
   * wait when due and (unless {@link StalledOptions#skipCheck()}) stalled jobs recovered. True by default.
   */
  public boolean runQueueScheduler() {
    return runQueueScheduler;
  }

  /** The clock every timestamp the worker writes comes from ({@link Clock#systemUTC()} by default). */
  public Clock clock() {
    return clock;
  }

  /** How long {@link Worker#close()} waits for jobs in flight (30 s by default). */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** Longest single pause while the queue is rate limited (30 s by default, as BullMQ). */
  public Duration maximumRateLimitDelay() {
    return maximumRateLimitDelay;
  }

  /** Capabilities this worker has: it also takes the jobs requiring one of them, ahead of other jobs. */
  public Set<String> capabilities() {
    return capabilities;
  }

  /** The observers of the worker's attempts, in registration order; empty by default. */
  public List<JobObserver> observers() {
    return observers;
  }

  /**
   * BullMQ's {@code metrics.maxDataPoints}: how many per-minute counts of completed and failed jobs the worker keeps
   * in {@code metrics:completed} and {@code metrics:failed}; 0 (the default) keeps none.
   */
  public int metricsMaxDataPoints() {
    return metricsMaxDataPoints;
  }

  @Override
  public String toString() {
    return "WorkerOptions{" + redis + ", prefix=" + prefix + ", concurrency=" + concurrency
        + ", " + locks + ", " + stalled + ", drainDelay=" + drainDelay
        + (limiter != null ? ", limiter=" + limiter : "") + (name != null ? ", name=" + name : "")
        + ", autorun=" + autorun + "}";
  }

  /** Builds {@link WorkerOptions}; every setter validates its value immediately. */
  public static final class Builder {
    private RedisConfig redis;
    private RedisConnector connector;
    private String prefix = "bull";
    private int concurrency = 1;
    private LockOptions locks = LockOptions.defaults();
    private StalledOptions stalled = StalledOptions.defaults();
    private Duration drainDelay = Duration.ofSeconds(5);
    private Limiter limiter;
    private String name;
    private boolean autorun = true;
    private KeepJobs removeOnComplete = KeepJobs.all();
    private KeepJobs removeOnFail = KeepJobs.all();
    private Executor executor;
    private final Map<String, BackoffStrategy> backoffStrategies = new LinkedHashMap<>();
    private Integer maxStartedAttempts;
    private boolean runQueueScheduler = true;
    private Clock clock = Clock.systemUTC();
    private Duration closeTimeout = Duration.ofSeconds(30);
    private Duration maximumRateLimitDelay = Duration.ofSeconds(30);
    private final Set<String> capabilities = new LinkedHashSet<>();
    private final List<JobObserver> observers = new ArrayList<>();
    private int metricsMaxDataPoints;

    private Builder() {}

    /**
     * Adds an observer of the worker's attempts, stalled jobs and lock renewals (metrics, tracing); several are
     * called in the order added.
     */
    public Builder observer(JobObserver observer) {
      if (observer == null) {
        throw new InvalidOptionException("observer", null, "must not be null");
      }
      observers.add(observer);
      return this;
    }

    /**
     * Keeps BullMQ's per-minute metrics of completed and failed jobs, {@code maxDataPoints} minutes of them (BullMQ's
     * {@code metrics: {maxDataPoints}}; every worker of a queue should use the same value; {@code
     * MetricsTime.ONE_WEEK} is 10,080). 0 turns them off.
     */
    public Builder metrics(int maxDataPoints) {
      if (maxDataPoints < 0) {
        throw new InvalidOptionException("metrics.maxDataPoints", maxDataPoints, "must be >= 0");
      }
      this.metricsMaxDataPoints = maxDataPoints;
      return this;
    }

    /**
     * Capabilities this worker has (Bullpen's extension): it takes jobs whose {@code requiredCapability} is one
     * of them (checked in this order, before other jobs); other workers never take those jobs.
     */
    public Builder capabilities(String... capabilities) {
      this.capabilities.clear();
      for (String capability : capabilities) {
        this.capabilities.add(io.bullpen.JobOptions.validateRouteName("capabilities", capability));
      }
      return this;
    }

    /**
     * Shares {@code connector}'s connections (see {@link RedisConnector}); its config becomes {@link #redis}. This
     * or {@code redis} is required; the one given last wins.
     */
    public Builder connector(RedisConnector connector) {
      this.redis = RedisConnector.require(connector).config();
      this.connector = connector;
      return this;
    }

    /** Where Redis is, for connections of its own; this or {@link #connector} is required. */
    public Builder redis(RedisConfig redis) {
      if (redis == null) {
        throw new InvalidOptionException("redis", null, "is required");
      }
      this.redis = redis;
      this.connector = null;
      return this;
    }

    public Builder prefix(String prefix) {
      this.prefix = QueueKeys.validatePrefix(prefix);
      return this;
    }

    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new InvalidOptionException("concurrency", concurrency, "must be >= 1");
      }
      this.concurrency = concurrency;
      return this;
    }

    /** Lock duration and renewal ({@link LockOptions}). */
    public Builder locks(LockOptions locks) {
      if (locks == null) {
        throw new InvalidOptionException("locks", null, "must not be null");
      }
      this.locks = locks;
      return this;
    }

    /** Stalled-job recovery ({@link StalledOptions}). */
    public Builder stalled(StalledOptions stalled) {
      if (stalled == null) {
        throw new InvalidOptionException("stalled", null, "must not be null");
      }
      this.stalled = stalled;
      return this;
    }

    public Builder drainDelay(Duration drainDelay) {
      this.drainDelay = atLeastOneMilli("drainDelay", drainDelay);
      return this;
    }

    public Builder limiter(Limiter limiter) {
      if (limiter == null) {
        throw new InvalidOptionException("limiter", null, "must not be null");
      }
      this.limiter = limiter;
      return this;
    }

    /** A name without whitespace (Redis client names cannot contain spaces). */
    public Builder name(String name) {
      if (name == null || name.isEmpty() || name.chars().anyMatch(c -> c <= ' ')) {
        throw new InvalidOptionException("name", name, "must be non-empty and contain no spaces or control characters");
      }
      this.name = name;
      return this;
    }

    public Builder autorun(boolean autorun) {
      this.autorun = autorun;
      return this;
    }

    public Builder removeOnComplete(KeepJobs keep) {
      if (keep == null) {
        throw new InvalidOptionException("removeOnComplete", null, "must be a KeepJobs policy");
      }
      this.removeOnComplete = keep;
      return this;
    }

    public Builder removeOnFail(KeepJobs keep) {
      if (keep == null) {
        throw new InvalidOptionException("removeOnFail", null, "must be a KeepJobs policy");
      }
      this.removeOnFail = keep;
      return this;
    }

    /**
     * Runs processors on {@code executor} instead of a pool the worker owns (for example
     * {@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21+). The worker never shuts it down.
     */
    public Builder executor(Executor executor) {
      if (executor == null) {
        throw new InvalidOptionException("executor", null, "must not be null");
      }
      this.executor = executor;
      return this;
    }

    /** Registers a custom backoff for jobs whose backoff type is {@code type}. */
    public Builder backoffStrategy(String type, BackoffStrategy strategy) {
      if (type == null || type.isBlank()) {
        throw new InvalidOptionException("backoffStrategy.type", type, "must be a non-empty name");
      }
      if (Backoff.FIXED.equals(type) || Backoff.EXPONENTIAL.equals(type)) {
        throw new InvalidOptionException("backoffStrategy.type", type, "is built in and cannot be replaced");
      }
      if (strategy == null) {
        throw new InvalidOptionException("backoffStrategy", null, "must not be null");
      }
      backoffStrategies.put(type, strategy);
      return this;
    }

    public Builder maxStartedAttempts(int maxStartedAttempts) {
      if (maxStartedAttempts < 0) {
        throw new InvalidOptionException("maxStartedAttempts", maxStartedAttempts, "must be >= 0");
      }
      this.maxStartedAttempts = maxStartedAttempts;
      return this;
    }

    /**
     * Turns the worker's own QueueScheduler off (on by default), for example when a standalone one from
     * {@link QueueSchedulers} serves the queue. Without any scheduler, delayed jobs are still promoted when a
     * worker fetches, but only as precisely as BullMQ's workers do it, and stalled jobs are not recovered.
     */
    public Builder runQueueScheduler(boolean run) {
      this.runQueueScheduler = run;
      return this;
    }

    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new InvalidOptionException("clock", null, "must not be null");
      }
      this.clock = clock;
      return this;
    }

    public Builder closeTimeout(Duration closeTimeout) {
      if (closeTimeout == null || closeTimeout.isNegative()) {
        throw new InvalidOptionException("closeTimeout", closeTimeout, "must be >= 0");
      }
      this.closeTimeout = closeTimeout;
      return this;
    }

    public Builder maximumRateLimitDelay(Duration delay) {
      this.maximumRateLimitDelay = atLeastOneMilli("maximumRateLimitDelay", delay);
      return this;
    }

    public WorkerOptions build() {
      if (redis == null) {
        throw new InvalidOptionException("redis", null, "is required (or a connector)");
      }
      return new WorkerOptions(this);
    }
  }

  static Duration atLeastOneMilli(String field, Duration value) {
    TimeLimits.requireMillis(field, value, 1);
    return value;
  }
}
