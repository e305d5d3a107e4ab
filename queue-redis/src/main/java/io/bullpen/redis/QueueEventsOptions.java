package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.internal.keys.QueueKeys;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.Optional;

/** Immutable settings of a {@link QueueEvents}; {@link Builder#redis} is required. */
public final class QueueEventsOptions {
  private static final Pattern STREAM_ID = Pattern.compile("\\d{1,20}(-\\d{1,20})?");

  private final RedisConfig redis;
  private final RedisConnector connector;
  private final String prefix;
  private final String lastEventId;
  private final Duration blockTimeout;
  private final boolean autorun;

  private QueueEventsOptions(Builder b) {
    this.redis = b.redis;
    this.connector = b.connector;
    this.prefix = b.prefix;
    this.lastEventId = b.lastEventId;
    this.blockTimeout = b.blockTimeout;
    this.autorun = b.autorun;
  }

  public static Builder builder() {
    return new Builder();
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

  /** Key prefix, BullMQ's default {@code bull}. */
  public String prefix() {
    return prefix;
  }

  /** Where reading starts: {@code $} (only events written from now on, the default) or a stream id such as {@code 0}. */
  public String lastEventId() {
    return lastEventId;
  }

  /** How long one XREAD blocks before it is reissued (default 10 s, as BullMQ). */
  public Duration blockTimeout() {
    return blockTimeout;
  }

  /** Whether reading starts when the {@link QueueEvents} is created (default) or on {@link QueueEvents#start()}. */
  public boolean autorun() {
    return autorun;
  }

  @Override
  public String toString() {
    return "QueueEventsOptions{" + redis + ", prefix=" + prefix + ", lastEventId=" + lastEventId
        + ", blockTimeout=" + blockTimeout + ", autorun=" + autorun + "}";
  }

  /** Builds {@link QueueEventsOptions}; each setter validates its value at once. */
  public static final class Builder {
    private RedisConfig redis;
    private RedisConnector connector;
    private String prefix = "bull";
    private String lastEventId = "$";
    private Duration blockTimeout = Duration.ofSeconds(10);
    private boolean autorun = true;

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

    public Builder lastEventId(String lastEventId) {
      if (lastEventId == null || !(lastEventId.equals("$") || STREAM_ID.matcher(lastEventId).matches())) {
        throw new InvalidOptionException("lastEventId", lastEventId,
            "must be \"$\" or a stream id such as \"0\" or \"1717171717171-0\"");
      }
      this.lastEventId = lastEventId;
      return this;
    }

    public Builder blockTimeout(Duration blockTimeout) {
      if (blockTimeout == null || blockTimeout.compareTo(Duration.ofMillis(1)) < 0
          || blockTimeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new InvalidOptionException("blockTimeout", blockTimeout, "must be between 1 ms and 1 h");
      }
      this.blockTimeout = blockTimeout;
      return this;
    }

    public Builder autorun(boolean autorun) {
      this.autorun = autorun;
      return this;
    }

    public QueueEventsOptions build() {
      if (redis == null) {
        throw new InvalidOptionException("redis", null, "is required (or a connector)");
      }
      return new QueueEventsOptions(this);
    }
  }
}
