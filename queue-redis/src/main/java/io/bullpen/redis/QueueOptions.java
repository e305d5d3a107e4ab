package io.bullpen.redis;

import io.bullpen.BackoffStrategy;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.observe.JobObserver;
import io.bullpen.redis.internal.keys.QueueKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of a {@link Queue}: where Redis is, the key prefix, default job options, the events stream cap, the
 * clock used for every timestamp, how many jobs one add call stores at most, and the custom backoff strategies of
 * jobs failed through {@link Queue#leases()}.
 *
 * <pre>{@code
 * QueueOptions opts = QueueOptions.builder().redis(RedisConfig.of("redis://127.0.0.1:6379")).build();
 * }</pre>
 */
public final class QueueOptions {
  /** BullMQ's default key prefix. */
  public static final String DEFAULT_PREFIX = "bull";
  /** BullMQ's default cap of the events stream. */
  public static final int DEFAULT_MAX_LEN_EVENTS = 10_000;
  /** The default {@link #bulkChunkSize()}: 1,000 jobs, about 20 ms of Redis time for small jobs. */
  public static final int DEFAULT_BULK_CHUNK_SIZE = 1_000;
  /** The largest {@link #bulkChunkSize()}. */
  public static final int MAX_BULK_CHUNK_SIZE = 100_000;

  private final RedisConfig redis;
  private final RedisConnector connector;
  private final String prefix;
  private final JobOptions defaultJobOptions;
  private final int maxLenEvents;
  private final Clock clock;
  private final int bulkChunkSize;
  private final Map<String, BackoffStrategy> backoffStrategies;
  private final List<JobObserver> observers;

  private QueueOptions(Builder b) {
    this.redis = b.redis;
    this.connector = b.connector;
    this.prefix = b.prefix;
    this.defaultJobOptions = b.defaultJobOptions;
    this.maxLenEvents = b.maxLenEvents;
    this.clock = b.clock;
    this.bulkChunkSize = b.bulkChunkSize;
    this.backoffStrategies = Map.copyOf(b.backoffStrategies);
    this.observers = List.copyOf(b.observers);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options for {@code redis} with every other setting at its default. */
  public static QueueOptions of(RedisConfig redis) {
    return builder().redis(redis).build();
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

  /** The key prefix, {@code bull} by default. */
  public String prefix() {
    return prefix;
  }

  /** Options merged under every added job's own options. */
  public JobOptions defaultJobOptions() {
    return defaultJobOptions;
  }

  /** The approximate cap of the events stream, written to meta {@code opts.maxLenEvents}. */
  public int maxLenEvents() {
    return maxLenEvents;
  }

  /** The clock of every timestamp the queue writes. */
  public Clock clock() {
    return clock;
  }

  /**
   * Most jobs one add script call stores ({@link Queue#addBulk}, and concurrent single adds sent together): a
   * larger bulk add goes out in chunks of this many jobs (and of at most 4 MiB of job data), one atomic call each,
   * so that no call holds Redis long. 1,000 by default, about 20 ms of Redis time for small jobs.
   */
  public int bulkChunkSize() {
    return bulkChunkSize;
  }

  /** Custom backoff strategies by type name, for jobs failed through the lease API. */
  public Map<String, BackoffStrategy> backoffStrategies() {
    return backoffStrategies;
  }

  /** The observers of the queue's adds, in registration order; empty by default. */
  public List<JobObserver> observers() {
    return observers;
  }

  /** Builds {@link QueueOptions}; every setter validates its value immediately. */
  public static final class Builder {
    private RedisConfig redis;
    private RedisConnector connector;
    private String prefix = DEFAULT_PREFIX;
    private JobOptions defaultJobOptions = JobOptions.defaults();
    private int maxLenEvents = DEFAULT_MAX_LEN_EVENTS;
    private Clock clock = Clock.systemUTC();
    private int bulkChunkSize = DEFAULT_BULK_CHUNK_SIZE;
    private final Map<String, BackoffStrategy> backoffStrategies = new LinkedHashMap<>();
    private final List<JobObserver> observers = new ArrayList<>();

    private Builder() {}

    /** Adds an observer of the queue's adds (metrics, tracing); several are called in the order added. */
    public Builder observer(JobObserver observer) {
      if (observer == null) {
        throw new InvalidOptionException("observer", null, "must not be null");
      }
      observers.add(observer);
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

    /** Defaults for every job; a custom {@code jobId} cannot be a default (every job would share it). */
    public Builder defaultJobOptions(JobOptions options) {
      if (options == null) {
        throw new InvalidOptionException("defaultJobOptions", null, "must not be null (use JobOptions.defaults())");
      }
      if (options.jobId().isPresent()) {
        throw new InvalidOptionException("defaultJobOptions.jobId", options.jobId().get(),
            "a custom job id cannot be a default for every job");
      }
      if (options.parent().isPresent()) {
        throw new InvalidOptionException("defaultJobOptions.parent", options.parent().get().key(),
            "a parent cannot be a default for every job");
      }
      this.defaultJobOptions = options;
      return this;
    }

    public Builder maxLenEvents(int maxLen) {
      if (maxLen <= 0) {
        throw new InvalidOptionException("maxLenEvents", maxLen, "must be > 0");
      }
      this.maxLenEvents = maxLen;
      return this;
    }

    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new InvalidOptionException("clock", null, "must not be null");
      }
      this.clock = clock;
      return this;
    }

    /** See {@link QueueOptions#bulkChunkSize()}: 1 to {@value #MAX_BULK_CHUNK_SIZE} jobs. */
    public Builder bulkChunkSize(int jobs) {
      if (jobs < 1 || jobs > MAX_BULK_CHUNK_SIZE) {
        throw new InvalidOptionException("bulkChunkSize", jobs, "must be between 1 and " + MAX_BULK_CHUNK_SIZE
            + " jobs per script call");
      }
      this.bulkChunkSize = jobs;
      return this;
    }

    /**
     * Registers a custom backoff for jobs whose backoff type is {@code type}, used when such a job fails through
     * {@link Leases#fail}, as a worker uses its own ({@code WorkerOptions.Builder.backoffStrategy}).
     */
    public Builder backoffStrategy(String type, BackoffStrategy strategy) {
      BackoffStrategy.checkRegistration(type, strategy);
      backoffStrategies.put(type, strategy);
      return this;
    }

    public QueueOptions build() {
      if (redis == null) {
        throw new InvalidOptionException("redis", null, "is required (or a connector)");
      }
      return new QueueOptions(this);
    }
  }
}
