package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.internal.keys.QueueKeys;
import java.time.Clock;

/**
 * Settings of a {@link FlowProducer}: where Redis is, the key prefix of nodes that name none, and the clock of
 * every timestamp.
 *
 * <pre>{@code
 * FlowProducerOptions opts = FlowProducerOptions.builder().redis(RedisConfig.of("redis://127.0.0.1:6379")).build();
 * }</pre>
 */
public final class FlowProducerOptions {
  private final RedisConfig redis;
  private final String prefix;
  private final Clock clock;

  private FlowProducerOptions(Builder b) {
    this.redis = b.redis;
    this.prefix = b.prefix;
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options for {@code redis} with every other setting at its default. */
  public static FlowProducerOptions of(RedisConfig redis) {
    return builder().redis(redis).build();
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

  /** Builds {@link FlowProducerOptions}; every setter validates its value immediately. */
  public static final class Builder {
    private RedisConfig redis;
    private String prefix = QueueOptions.DEFAULT_PREFIX;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Where Redis is; required. */
    public Builder redis(RedisConfig redis) {
      if (redis == null) {
        throw new InvalidOptionException("redis", null, "is required");
      }
      this.redis = redis;
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

    public FlowProducerOptions build() {
      if (redis == null) {
        throw new InvalidOptionException("redis", null, "is required");
      }
      return new FlowProducerOptions(this);
    }
  }
}
