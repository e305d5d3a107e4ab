package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.TimeLimits;
import io.bullpen.redis.internal.codec.Payloads;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Redis is, how long to wait for it, and how large a job's data may be. One URI names a standalone Redis
 * ({@code redis://}, {@code rediss://} for TLS), a Sentinel set ({@code redis-sentinel://}) or a Redis Cluster
 * ({@code redis-cluster://host1:port1,host2:port2}, {@code rediss-cluster://} for TLS). Objects built from a config
 * open their own connections; objects built on one {@link RedisConnector} share its connections.
 */
public final class RedisConfig {
  private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^@/?#]*)@");
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&]password=)[^&#]*");
  private static final String CLUSTER = "redis-cluster://";
  private static final String TLS_CLUSTER = "rediss-cluster://";

  private final String uri;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final Duration startupWait;
  private final TlsOptions tls;
  private final int maxPayloadBytes;
  private final String clientName;
  private final Duration reconnectDelayMax;
  private final Duration topologyRefreshPeriod;
  private final int replicasToWaitFor;
  private final Duration replicaWaitTimeout;

  private RedisConfig(Builder b) {
    this.uri = b.uri;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.startupWait = b.startupWait;
    this.tls = b.tls;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.clientName = b.clientName;
    this.reconnectDelayMax = b.reconnectDelayMax;
    this.topologyRefreshPeriod = b.topologyRefreshPeriod;
    this.replicasToWaitFor = b.replicasToWaitFor;
    this.replicaWaitTimeout = b.replicaWaitTimeout;
  }

  /** A config for {@code redis://host:port[/db]} with default timeouts. */
  public static RedisConfig of(String uri) {
    return builder().uri(uri).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Redis URI, e.g. {@code redis://127.0.0.1:6379/0}. */
  public String uri() {
    return uri;
  }

  /** How long a command may take before the caller gets a {@link io.bullpen.QueueConnectionException}. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** How long connecting may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * How long the first connection of a queue, worker or event reader keeps trying while Redis is not reachable
   * yet, for services that may start before their Redis (zero by default: fail at once). A refused password or
   * any other answer from Redis fails at once either way.
   */
  public Duration startupWait() {
    return startupWait;
  }

  /**
   * What TLS trusts and presents, for {@code rediss://} URIs whose server certificate the JVM's default trust store
   * does not cover or that need a client certificate; empty: the defaults. Also given in the URI as
   * {@code ?tlsCa=<pem>}, {@code tlsCert=<pem>&tlsKey=<pem>}.
   */
  public Optional<TlsOptions> tls() {
    return Optional.ofNullable(tls);
  }

  /**
   * The largest job data, as UTF-8 JSON, that producers add and the longest JSON string that readers (workers,
   * {@code job.data(Type)}, {@code job.returnValue(Type)}) accept: 20,000,000 bytes by default, Jackson's own
   * reading limit. One setting for both sides, so whatever is added can be read by a worker with the same
   * config: an add above it (or above the job's smaller {@code sizeLimit}) is refused with an
   * {@link io.bullpen.InvalidOptionException} before anything is sent. Raise it on producers and workers alike.
   */
  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** Whether the URI names a Redis Cluster ({@code redis-cluster://} or {@code rediss-cluster://}). */
  public boolean isCluster() {
    return isClusterUri(uri);
  }

  /**
   * The name the command connections give themselves ({@code CLIENT SETNAME}), to tell applications apart in
   * {@code CLIENT LIST}; empty: none. Workers' and event readers' blocking connections keep BullMQ's names, which
   * dashboards count.
   */
  public Optional<String> clientName() {
    return Optional.ofNullable(clientName);
  }

  /**
   * The longest pause between two reconnect attempts after Redis went away (1 s by default; the pauses grow
   * from 1 ms, doubling, with jitter). Short, so that a worker is back soon after a failover. Applies to
   * connections whose Lettuce {@code ClientResources} Bullpen creates.
   */
  public Duration reconnectDelayMax() {
    return reconnectDelayMax;
  }

  /**
   * For a cluster: how often the topology (which node owns which slot) is read again, 30 s by default. Besides,
   * it is read at once on a {@code MOVED} or {@code ASK} redirect and when a node cannot be reached.
   */
  public Duration topologyRefreshPeriod() {
    return topologyRefreshPeriod;
  }

  /**
   * How many replicas must have an added job before an add returns (Redis {@code WAIT}); 0, the default, returns
   * once the master has it. Replication is asynchronous, so a master that fails right after an add can take the
   * job with it unless its replica had it; with 1 here an add that returned survives the failover of its master.
   * An add whose replicas do not confirm within {@link #replicaWaitTimeout()} fails with a
   * {@link io.bullpen.QueueConnectionException} although the master has the job: add again with the same custom
   * job id, which is idempotent. Settling stays asynchronous: a completion lost in a failover makes the job run
   * again, it never loses it.
   */
  public int replicasToWaitFor() {
    return replicasToWaitFor;
  }

  /** How long an add waits for {@link #replicasToWaitFor()} replicas (1 s by default). */
  public Duration replicaWaitTimeout() {
    return replicaWaitTimeout;
  }

  /**
   * The Lettuce URI for this config; for a cluster, its first seed node (see {@link #clusterSeeds()}).
   */
  public RedisURI redisUri() {
    RedisURI parsed = isCluster() ? clusterSeeds().get(0) : RedisURI.create(uri);
    parsed.setTimeout(commandTimeout);
    return parsed;
  }

  /** For a cluster: the seed nodes, each a Lettuce URI with the credentials and TLS settings of the URI. */
  public List<RedisURI> clusterSeeds() {
    if (!isCluster()) {
      return List.of();
    }
    List<RedisURI> seeds = new ArrayList<>();
    for (String seed : seedUris(uri)) {
      RedisURI parsed = RedisURI.create(seed);
      parsed.setTimeout(commandTimeout);
      seeds.add(parsed);
    }
    return List.copyOf(seeds);
  }

  private static boolean isClusterUri(String uri) {
    return uri.startsWith(CLUSTER) || uri.startsWith(TLS_CLUSTER);
  }

  /**
   * {@code redis-cluster://[userinfo@]h1:p1,h2:p2[/db][?query]} as one plain URI per host, each with the same
   * user info, path and query.
   */
  private static List<String> seedUris(String uri) {
    String scheme = uri.startsWith(TLS_CLUSTER) ? "rediss://" : "redis://";
    String rest = uri.substring(uri.indexOf("://") + 3);
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int at = rest.indexOf(c);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    String authority = rest.substring(0, end);
    String tail = rest.substring(end);
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
    List<String> seeds = new ArrayList<>();
    for (String host : authority.substring(at + 1).split(",", -1)) {
      seeds.add(scheme + userInfo + host.trim() + tail);
    }
    return seeds;
  }

  /** The URI with its password replaced by {@code ***}: what messages, logs and {@link #toString()} show. */
  public String maskedUri() {
    return mask(uri);
  }

  /** {@code uri} with the password of its user info, and any {@code password=} parameter, replaced by {@code ***}. */
  static String mask(String uri) {
    Matcher m = USER_INFO.matcher(uri);
    String masked = uri;
    if (m.find()) {
      String userInfo = m.group(2);
      int colon = userInfo.indexOf(':');
      // Without a colon Lettuce reads the user info as the password alone (redis://secret@host).
      String safe = colon >= 0 ? userInfo.substring(0, colon) + ":***" : "***";
      masked = m.group(1) + safe + "@" + uri.substring(m.end());
    }
    return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1***");
  }

  /** The port text of a {@code scheme://[userinfo@]host[:port][/...]} URI, or null when it names none. */
  private static String portOf(String uri) {
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      return null;
    }
    String rest = uri.substring(scheme + 3);
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int at = rest.indexOf(c);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    String authority = rest.substring(0, end);
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    if (authority.contains(",")) {
      return null;  // several hosts (Sentinel, Cluster): each is checked on its own
    }
    int hostEnd = authority.startsWith("[") ? authority.indexOf(']') + 1 : 0;
    int colon = authority.indexOf(':', hostEnd);
    return colon < 0 ? null : authority.substring(colon + 1);
  }

  @Override
  public String toString() {
    return "RedisConfig{" + maskedUri() + ", commandTimeout=" + commandTimeout + ", connectTimeout="
        + connectTimeout + ", maxPayloadBytes=" + maxPayloadBytes + (tls == null ? "" : ", tls=" + tls)
        + (clientName == null ? "" : ", clientName=" + clientName)
        + (replicasToWaitFor == 0 ? "" : ", waitForReplicas=" + replicasToWaitFor + "/" + replicaWaitTimeout) + "}";
  }

  /** Builds {@link RedisConfig}. */
  public static final class Builder {
    private String uri;
    private Duration commandTimeout = Duration.ofSeconds(5);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration startupWait = Duration.ZERO;
    private TlsOptions tls;
    private TlsOptions tlsFromUri;
    private int maxPayloadBytes = Payloads.DEFAULT_MAX_BYTES;
    private String clientName;
    private Duration reconnectDelayMax = Duration.ofSeconds(1);
    private Duration topologyRefreshPeriod = Duration.ofSeconds(30);
    private int replicasToWaitFor;
    private Duration replicaWaitTimeout = Duration.ofSeconds(1);

    private Builder() {}

    public Builder uri(String uri) {
      if (uri == null || uri.isBlank()) {
        throw new InvalidOptionException("uri", uri, "must be a Redis URI such as redis://127.0.0.1:6379");
      }
      UriTlsOptions parameters = UriTlsOptions.take(uri, RedisConfig::mask);
      uri = parameters.uri();
      for (String single : isClusterUri(uri) ? seedUris(uri) : List.of(uri)) {
        if (isClusterUri(uri) && single.substring(single.indexOf("://") + 3).matches("([^@/?#]*@)?([/?#].*)?")) {
          throw new InvalidOptionException("uri", mask(uri), "a cluster URI needs host:port seed nodes separated by"
              + " commas, e.g. redis-cluster://10.0.0.1:7000,10.0.0.2:7000");
        }
        try {
          RedisURI.create(single);
        } catch (RuntimeException e) {
          throw new InvalidOptionException("uri", mask(uri), "not a Redis URI: " + e.getMessage(), e);
        }
        String port = portOf(single);
        if (port != null && !(port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1
            && Integer.parseInt(port) <= 65535)) {
          // Lettuce reads redis://host:notaport without complaint and fails only when connecting.
          throw new InvalidOptionException("uri", mask(uri),
              "port must be a number from 1 to 65535, was '" + port + "'");
        }
      }
      this.uri = uri;
      this.tlsFromUri = parameters.tls();
      return this;
    }

    /** See {@link RedisConfig#tls()}; given here it replaces TLS files named in the URI. */
    public Builder tls(TlsOptions tls) {
      if (tls == null) {
        throw new InvalidOptionException("tls", null, "is required (leave it out for the defaults)");
      }
      this.tls = tls;
      return this;
    }

    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive("commandTimeout", timeout);
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /** See {@link RedisConfig#startupWait()}; zero or more. */
    public Builder startupWait(Duration wait) {
      if (wait == null || wait.isNegative()) {
        throw new InvalidOptionException("startupWait", wait, "must be zero or more");
      }
      this.startupWait = wait;
      return this;
    }

    /**
     * See {@link RedisConfig#maxPayloadBytes()}: 1 to 536,870,912 (512 MiB, the longest string Redis keeps);
     * 20,000,000 by default.
     */
    public Builder maxPayloadBytes(int bytes) {
      this.maxPayloadBytes = Payloads.requireValidLimit(bytes);
      return this;
    }

    /** See {@link RedisConfig#clientName()}: 1 to 64 characters, no spaces (Redis refuses them). */
    public Builder clientName(String name) {
      if (name == null || name.isEmpty() || name.length() > 64 || !name.matches("[\\x21-\\x7e]+")) {
        throw new InvalidOptionException("clientName", name,
            "must be 1 to 64 printable ASCII characters without spaces");
      }
      this.clientName = name;
      return this;
    }

    /** See {@link RedisConfig#reconnectDelayMax()}; more than zero. */
    public Builder reconnectDelayMax(Duration delay) {
      this.reconnectDelayMax = positive("reconnectDelayMax", delay);
      return this;
    }

    /** See {@link RedisConfig#topologyRefreshPeriod()}; more than zero. */
    public Builder topologyRefreshPeriod(Duration period) {
      this.topologyRefreshPeriod = positive("topologyRefreshPeriod", period);
      return this;
    }

    /** See {@link RedisConfig#replicasToWaitFor()}: 0 to 100 replicas, within a timeout of more than zero. */
    public Builder waitForReplicas(int replicas, Duration timeout) {
      if (replicas < 0 || replicas > 100) {
        throw new InvalidOptionException("replicasToWaitFor", replicas, "must be 0 to 100");
      }
      this.replicaWaitTimeout = positive("replicaWaitTimeout", timeout);
      this.replicasToWaitFor = replicas;
      return this;
    }

    public RedisConfig build() {
      if (uri == null) {
        throw new InvalidOptionException("uri", null, "is required");
      }
      if (tls == null) {
        tls = tlsFromUri;
      }
      if (tls != null && !uri.startsWith("rediss")) {
        throw new InvalidOptionException("tls", tls,
            "needs a TLS URI (rediss://, rediss-sentinel:// or rediss-cluster://), the URI is " + mask(uri));
      }
      return new RedisConfig(this);
    }

    private static Duration positive(String field, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new InvalidOptionException(field, value, "must be > 0");
      }
      TimeLimits.requireMillis(field, value, 0);
      return value;
    }
  }
}
