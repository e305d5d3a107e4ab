package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.internal.keys.QueueKeys;
import java.time.Clock;
import java.util.Optional;

/**
 * Settings of a {@link FlowProducer}: where Redis is, the key prefix of nodes that name none, the clock of every
 * timestamp, and the most jobs one flow may have.
 *
 * <pre>{@code
 * FlowProducerOptions opts = FlowProducerOptions.builder().redis(RedisConfig.of("redis://127.0.0.1:6379")).build();
 * }</pre>
 */
public final class FlowProducerOptions {
  /** The default {@link #maxFlowSize()}: 1,000 jobs, about 35 ms of Redis time. */
  public static final int DEFAULT_MAX_FLOW_SIZE = 1_000;
  /** The largest {@link #maxFlowSize()}: 100,000 jobs, a few seconds of Redis time. */
  public static final int LARGEST_MAX_FLOW_SIZE = 100_000;

  private final RedisConfig redis;
  private final RedisConnector connector;
  private final String prefix;
  private final Clock clock;
  private final int maxFlowSize;

  private FlowProducerOptions(Builder b) {
    this.redis = b.redis;
    this.connector = b.connector;
    this.prefix = b.prefix;
    this.clock = b.clock;
    this.maxFlowSize = b.maxFlowSize;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options for {@code redis} with every other setting at its default. */
  public static FlowProducerOptions of(RedisConfig redis) {
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

  /** The key prefix of nodes that name none, {@code bull} by default. */
  public String prefix() {
    return prefix;
  }

  /** The clock of every timestamp the producer writes. */
  public Clock clock() {
    return clock;
  }

  /**
   * The most jobs one {@link FlowProducer#add} (or {@link FlowProducer#addBulk}, all trees together) may store.
   * A flow is stored in one atomic script call, so that no parent ever exists without all its children, and that
   * call holds Redis for its whole length: about 35 µs per job (measured on 2 cores with Redis 7; a tree of 20,000
   * children took 0.65 s). Larger flows are refused before anything is sent. 1,000 by default (about 35 ms);
   * raise it, up to {@value #LARGEST_MAX_FLOW_SIZE}, when you accept the longer pause of other clients.
   */
  public int maxFlowSize() {
    return maxFlowSize;
  }

  /** Builds {@link FlowProducerOptions}; every setter validates its value immediately. */
  public static final class Builder {
    private RedisConfig redis;
    private RedisConnector connector;
    private String prefix = QueueOptions.DEFAULT_PREFIX;
    private Clock clock = Clock.systemUTC();
    private int maxFlowSize = DEFAULT_MAX_FLOW_SIZE;

    private Builder() {}

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

    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new InvalidOptionException("clock", null, "must not be null");
      }
      this.clock = clock;
      return this;
    }

    /** See {@link FlowProducerOptions#maxFlowSize()}: 1 to {@value #LARGEST_MAX_FLOW_SIZE} jobs. */
    public Builder maxFlowSize(int jobs) {
      if (jobs < 1 || jobs > LARGEST_MAX_FLOW_SIZE) {
        throw new InvalidOptionException("maxFlowSize", jobs, "must be between 1 and " + LARGEST_MAX_FLOW_SIZE
            + " jobs");
      }
      this.maxFlowSize = jobs;
      return this;
    }

    public FlowProducerOptions build() {
      if (redis == null) {
        throw new InvalidOptionException("redis", null, "is required (or a connector)");
      }
      return new FlowProducerOptions(this);
    }
  }
}
