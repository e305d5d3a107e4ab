package io.bullpen.server;

import io.bullpen.InvalidOptionException;
import io.bullpen.QueueNames;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Immutable settings of a {@link BullpenServer}; the builder checks each value as it is set.
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.builder()
 *     .redis(RedisConfig.of("redis://127.0.0.1:6379"))
 *     .apiKeys(ApiKeys.file(Path.of("keys.json")))
 *     .port(8080)
 *     .build();
 * }</pre>
 */
public final class ServerOptions {
  /** The largest request body accepted by default: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  private final RedisConfig redis;
  private final ApiKeys apiKeys;
  private final String prefix;
  private final String host;
  private final int port;
  private final Set<String> queues;
  private final boolean discoverQueues;
  private final int maxBodyBytes;
  private final List<String> corsOrigins;
  private final boolean dashboard;
  private final long cacheMaxEntries;
  private final Duration cacheTimeToLive;
  private final Duration versionPollInterval;

  private ServerOptions(Builder b) {
    this.redis = b.redis;
    this.apiKeys = b.apiKeys;
    this.prefix = b.prefix;
    this.host = b.host;
    this.port = b.port;
    this.queues = Set.copyOf(b.queues);
    this.discoverQueues = b.discoverQueues;
    this.maxBodyBytes = b.maxBodyBytes;
    this.corsOrigins = List.copyOf(b.corsOrigins);
    this.dashboard = b.dashboard;
    this.cacheMaxEntries = b.cacheMaxEntries;
    this.cacheTimeToLive = b.cacheTimeToLive;
    this.versionPollInterval = b.versionPollInterval;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where the queues are. */
  public RedisConfig redis() {
    return redis;
  }

  /** The keys requests must carry. */
  public ApiKeys apiKeys() {
    return apiKeys;
  }

  /** The queues' key prefix, {@code bull} by default. */
  public String prefix() {
    return prefix;
  }

  /** The address to listen on, {@code 127.0.0.1} by default. */
  public String host() {
    return host;
  }

  /** The port to listen on, 8080 by default; 0 picks a free one ({@link BullpenServer#port()} tells which). */
  public int port() {
    return port;
  }

  /** Queues always served, even before they exist in Redis (producers may add to them). */
  public Set<String> queues() {
    return queues;
  }

  /** Whether queues found in Redis under the prefix are served too (true by default). */
  public boolean discoverQueues() {
    return discoverQueues;
  }

  /** The largest request body accepted; larger ones get 413. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Origins allowed to call the API from a browser page; none (CORS off) by default. */
  public List<String> corsOrigins() {
    return corsOrigins;
  }

  /** Whether the web dashboard is served at {@code /} (true by default). */
  public boolean dashboard() {
    return dashboard;
  }

  /** The most query results the read cache holds. */
  public long cacheMaxEntries() {
    return cacheMaxEntries;
  }

  /** The longest a cached result lives, whatever the versions say. */
  public Duration cacheTimeToLive() {
    return cacheTimeToLive;
  }

  /**
   * How old the known version of a queue may be before a read looks at its event stream again: the longest a change
   * made by another process (a worker, Node BullMQ) can stay unseen. Writes through this server are seen at once.
   */
  public Duration versionPollInterval() {
    return versionPollInterval;
  }

  @Override
  public String toString() {
    return "ServerOptions{redis=" + redis.maskedUri() + ", keys=" + apiKeys.location() + ", prefix=" + prefix
        + ", " + host + ":" + port + ", queues=" + queues + ", discover=" + discoverQueues + "}";
  }

  /** Builds {@link ServerOptions}; {@link #redis} and {@link #apiKeys} are required. */
  public static final class Builder {
    private RedisConfig redis;
    private ApiKeys apiKeys;
    private String prefix = QueueOptions.DEFAULT_PREFIX;
    private String host = "127.0.0.1";
    private int port = 8080;
    private final Set<String> queues = new LinkedHashSet<>();
    private boolean discoverQueues = true;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private List<String> corsOrigins = List.of();
    private boolean dashboard = true;
    private long cacheMaxEntries = 10_000;
    private Duration cacheTimeToLive = Duration.ofMinutes(1);
    private Duration versionPollInterval = Duration.ofMillis(100);

    private Builder() {}

    public Builder redis(RedisConfig redis) {
      this.redis = required("redis", redis);
      return this;
    }

    public Builder apiKeys(ApiKeys keys) {
      this.apiKeys = required("apiKeys", keys);
      return this;
    }

    public Builder prefix(String prefix) {
      this.prefix = QueueNames.requireValidPrefix(prefix);
      return this;
    }

    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new InvalidOptionException("host", host, "must be an address or host name to listen on");
      }
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new InvalidOptionException("port", port, "must be between 0 (any free port) and 65535");
      }
      this.port = port;
      return this;
    }

    /** Adds queues to serve whether or not they exist yet. */
    public Builder queues(String... names) {
      for (String name : required("queues", names)) {
        queues.add(QueueNames.requireValidName(name));
      }
      return this;
    }

    public Builder discoverQueues(boolean discover) {
      this.discoverQueues = discover;
      return this;
    }

    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1024 || bytes > 64 << 20) {
        throw new InvalidOptionException("maxBodyBytes", bytes, "must be between 1 KiB and 64 MiB");
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** Turns CORS on for these origins ({@code https://ops.example.com}); {@code *} allows any origin. */
    public Builder corsOrigins(String... origins) {
      for (String origin : required("corsOrigins", origins)) {
        if (origin == null || !(origin.equals("*") || origin.matches("https?://[^/\\s]+"))) {
          throw new InvalidOptionException("corsOrigins", origin, "must be * or scheme://host[:port]");
        }
      }
      this.corsOrigins = List.of(origins);
      return this;
    }

    public Builder dashboard(boolean serve) {
      this.dashboard = serve;
      return this;
    }

    public Builder cacheMaxEntries(long entries) {
      if (entries < 0) {
        throw new InvalidOptionException("cacheMaxEntries", entries, "must be >= 0 (0 caches nothing)");
      }
      this.cacheMaxEntries = entries;
      return this;
    }

    public Builder cacheTimeToLive(Duration ttl) {
      if (ttl == null || ttl.isNegative() || ttl.isZero()) {
        throw new InvalidOptionException("cacheTimeToLive", ttl, "must be > 0");
      }
      this.cacheTimeToLive = ttl;
      return this;
    }

    public Builder versionPollInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new InvalidOptionException("versionPollInterval", interval, "must be between 0 and 1 minute");
      }
      this.versionPollInterval = interval;
      return this;
    }

    public ServerOptions build() {
      required("redis", redis);
      required("apiKeys", apiKeys);
      return new ServerOptions(this);
    }

    private static <T> T required(String field, T value) {
      if (value == null) {
        throw new InvalidOptionException(field, null, "is required");
      }
      return value;
    }
  }
}
