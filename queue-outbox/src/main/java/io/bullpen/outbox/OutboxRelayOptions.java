package io.bullpen.outbox;

import io.bullpen.Backoff;
import io.bullpen.InvalidOptionException;
import io.bullpen.redis.QueueOptions;
import java.time.Duration;

/**
 * Settings of an {@link OutboxRelay}. Immutable; the builder checks each value at once and {@link Builder#build()}
 * checks them together. Required: {@link Builder#connections} and {@link Builder#queueOptions}.
 *
 * <ul>
 *   <li>{@code batchSize} (500): rows claimed per transaction.
 *   <li>{@code concurrency} (1): claiming loops in this relay, each with its own transaction.
 *   <li>{@code lease} (30 s): a claim whose relay goes silent this long (frozen, cut off) is ended by
 *       PostgreSQL ({@code idle_in_transaction_session_timeout}) and its rows are claimed again. Keep it above the
 *       Redis command timeout.
 *   <li>{@code deduplicationWindow} (10 min): how long Redis remembers a relayed row (the TTL of its
 *       deduplication key). A second add of the row within the window creates nothing; it must outlast the lease
 *       and any database outage during which a relay may have added rows it could not mark. Each relayed row
 *       costs Redis one small key for that long.
 *   <li>{@code maxAttempts} (10) and {@code retryBackoff} (exponential from 1 s): failed adds are retried after
 *       the backoff; the row is parked when {@code maxAttempts} adds failed. Redis being unreachable counts for
 *       no row: then the whole relay waits.
 *   <li>{@code idleBackoff} (10 ms to 1 s): waits between polls that found nothing, doubling; a notification
 *       (LISTEN/NOTIFY, {@code listen}, on by default) ends the wait at once.
 *   <li>{@code errorBackoff} (100 ms to 5 s): waits while Redis or the database fail, doubling.
 *   <li>{@code listener}: metrics and alerts; {@code name}: the threads' name prefix.
 * </ul>
 */
public final class OutboxRelayOptions {
  private final OutboxOptions outbox;
  private final ConnectionSource connections;
  private final QueueOptions queueOptions;
  private final int batchSize;
  private final int concurrency;
  private final Duration lease;
  private final Duration deduplicationWindow;
  private final int maxAttempts;
  private final Backoff retryBackoff;
  private final Duration idleMin;
  private final Duration idleMax;
  private final Duration errorMin;
  private final Duration errorMax;
  private final boolean listen;
  private final OutboxListener listener;
  private final String name;

  private OutboxRelayOptions(Builder b) {
    this.outbox = b.outbox;
    this.connections = b.connections;
    this.queueOptions = b.queueOptions;
    this.batchSize = b.batchSize;
    this.concurrency = b.concurrency;
    this.lease = b.lease;
    this.deduplicationWindow = b.deduplicationWindow;
    this.maxAttempts = b.maxAttempts;
    this.retryBackoff = b.retryBackoff;
    this.idleMin = b.idleMin;
    this.idleMax = b.idleMax;
    this.errorMin = b.errorMin;
    this.errorMax = b.errorMax;
    this.listen = b.listen;
    this.listener = b.listener;
    this.name = b.name;
  }

  public static Builder builder() {
    return new Builder();
  }

  public OutboxOptions outbox() {
    return outbox;
  }

  public ConnectionSource connections() {
    return connections;
  }

  public QueueOptions queueOptions() {
    return queueOptions;
  }

  public int batchSize() {
    return batchSize;
  }

  public int concurrency() {
    return concurrency;
  }

  public Duration lease() {
    return lease;
  }

  public Duration deduplicationWindow() {
    return deduplicationWindow;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Backoff retryBackoff() {
    return retryBackoff;
  }

  public Duration idleBackoffMin() {
    return idleMin;
  }

  public Duration idleBackoffMax() {
    return idleMax;
  }

  public Duration errorBackoffMin() {
    return errorMin;
  }

  public Duration errorBackoffMax() {
    return errorMax;
  }

  public boolean listen() {
    return listen;
  }

  public OutboxListener listener() {
    return listener;
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "OutboxRelayOptions{" + outbox.qualifiedTable() + ", batchSize=" + batchSize + ", concurrency="
        + concurrency + ", lease=" + lease + ", deduplicationWindow=" + deduplicationWindow + ", maxAttempts="
        + maxAttempts + ", retryBackoff=" + retryBackoff + ", listen=" + listen + ", name=" + name + "}";
  }

  /** Builds {@link OutboxRelayOptions}. */
  public static final class Builder {
    private OutboxOptions outbox = OutboxOptions.defaults();
    private ConnectionSource connections;
    private QueueOptions queueOptions;
    private int batchSize = 500;
    private int concurrency = 1;
    private Duration lease = Duration.ofSeconds(30);
    private Duration deduplicationWindow = Duration.ofMinutes(10);
    private int maxAttempts = 10;
    private Backoff retryBackoff = Backoff.exponential(1000);
    private Duration idleMin = Duration.ofMillis(10);
    private Duration idleMax = Duration.ofSeconds(1);
    private Duration errorMin = Duration.ofMillis(100);
    private Duration errorMax = Duration.ofSeconds(5);
    private boolean listen = true;
    private OutboxListener listener = OutboxListener.NONE;
    private String name = "bullpen-outbox-relay";

    private Builder() {}

    /** The table to relay from (its clock is the relay's clock too). */
    public Builder outbox(OutboxOptions options) {
      this.outbox = Require.nonNull("outbox", options);
      return this;
    }

    /** Where the relay's connections come from, usually {@code ConnectionSource.of(dataSource)}. */
    public Builder connections(ConnectionSource source) {
      this.connections = Require.nonNull("connections", source);
      return this;
    }

    /** The options of every queue the relay adds to (Redis, prefix, default job options). */
    public Builder queueOptions(QueueOptions options) {
      this.queueOptions = Require.nonNull("queueOptions", options);
      return this;
    }

    public Builder batchSize(int rows) {
      this.batchSize = within("batchSize", rows, 1, 10_000);
      return this;
    }

    public Builder concurrency(int loops) {
      this.concurrency = within("concurrency", loops, 1, 64);
      return this;
    }

    public Builder lease(Duration lease) {
      this.lease = between("lease", lease, Duration.ofSeconds(1), Duration.ofHours(1));
      return this;
    }

    public Builder deduplicationWindow(Duration window) {
      this.deduplicationWindow = between("deduplicationWindow", window, Duration.ofSeconds(2), Duration.ofDays(30));
      return this;
    }

    public Builder maxAttempts(int attempts) {
      this.maxAttempts = within("maxAttempts", attempts, 1, 1_000_000);
      return this;
    }

    /** A built-in backoff ({@code fixed} or {@code exponential}, jitter allowed). */
    public Builder retryBackoff(Backoff backoff) {
      Require.nonNull("retryBackoff", backoff);
      if (!backoff.isBuiltIn()) {
        throw new InvalidOptionException("retryBackoff", backoff.type(), "must be fixed or exponential");
      }
      this.retryBackoff = backoff;
      return this;
    }

    public Builder idleBackoff(Duration min, Duration max) {
      this.idleMin = between("idleBackoff.min", min, Duration.ofMillis(1), Duration.ofMinutes(1));
      this.idleMax = between("idleBackoff.max", max, min, Duration.ofMinutes(10));
      return this;
    }

    public Builder errorBackoff(Duration min, Duration max) {
      this.errorMin = between("errorBackoff.min", min, Duration.ofMillis(1), Duration.ofMinutes(1));
      this.errorMax = between("errorBackoff.max", max, min, Duration.ofMinutes(10));
      return this;
    }

    /** Whether to LISTEN for the table's notifications (PostgreSQL driver needed); else only poll. */
    public Builder listen(boolean listen) {
      this.listen = listen;
      return this;
    }

    public Builder listener(OutboxListener listener) {
      this.listener = Require.nonNull("listener", listener);
      return this;
    }

    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new InvalidOptionException("name", name, "must be a non-blank thread name prefix");
      }
      this.name = name;
      return this;
    }

    /**
     * @throws InvalidOptionException when a required setting is missing, or the deduplication window is not
     *     longer than the lease
     */
    public OutboxRelayOptions build() {
      Require.nonNull("connections", connections);
      Require.nonNull("queueOptions", queueOptions);
      if (deduplicationWindow.compareTo(lease) <= 0) {
        throw new InvalidOptionException("deduplicationWindow", deduplicationWindow,
            "must be longer than the lease (" + lease + "), or a row claimed again after a lost relay could be "
                + "added twice");
      }
      return new OutboxRelayOptions(this);
    }

    private static int within(String field, int value, int min, int max) {
      if (value < min || value > max) {
        throw new InvalidOptionException(field, value, "must be between " + min + " and " + max);
      }
      return value;
    }

    private static Duration between(String field, Duration value, Duration min, Duration max) {
      if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new InvalidOptionException(field, value, "must be between " + min + " and " + max);
      }
      return value;
    }
  }
}
