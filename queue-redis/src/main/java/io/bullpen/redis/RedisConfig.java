package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import io.bullpen.TimeLimits;
import io.bullpen.redis.internal.codec.Payloads;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Redis is, how long to wait for it, and how large a job's data may be. Shared by {@link Queue},
 * {@link Worker}, {@link FlowProducer} and {@link QueueEvents}; each opens its own connections from it.
 */
public final class RedisConfig {
  private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^@/?#]*)@");
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&]password=)[^&#]*");

  private final String uri;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final Duration startupWait;
  private final TlsOptions tls;
  private final int maxPayloadBytes;

  private RedisConfig(Builder b) {
    this.uri = b.uri;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.startupWait = b.startupWait;
    this.tls = b.tls;
    this.maxPayloadBytes = b.maxPayloadBytes;
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

  /** The Lettuce URI for this config. */
  public RedisURI redisUri() {
    RedisURI parsed = RedisURI.create(uri);
    parsed.setTimeout(commandTimeout);
    return parsed;
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
      return null;  // several hosts (Sentinel): Lettuce checks each
    }
    int hostEnd = authority.startsWith("[") ? authority.indexOf(']') + 1 : 0;
    int colon = authority.indexOf(':', hostEnd);
    return colon < 0 ? null : authority.substring(colon + 1);
  }

  @Override
  public String toString() {
    return "RedisConfig{" + maskedUri() + ", commandTimeout=" + commandTimeout + ", connectTimeout="
        + connectTimeout + ", maxPayloadBytes=" + maxPayloadBytes + (tls == null ? "" : ", tls=" + tls) + "}";
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

    private Builder() {}

    public Builder uri(String uri) {
      if (uri == null || uri.isBlank()) {
        throw new InvalidOptionException("uri", uri, "must be a Redis URI such as redis://127.0.0.1:6379");
      }
      UriTlsOptions parameters = UriTlsOptions.take(uri, RedisConfig::mask);
      uri = parameters.uri();
      try {
        RedisURI.create(uri);
      } catch (RuntimeException e) {
        throw new InvalidOptionException("uri", mask(uri), "not a Redis URI: " + e.getMessage(), e);
      }
      String port = portOf(uri);
      if (port != null && !(port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1
          && Integer.parseInt(port) <= 65535)) {
        // Lettuce reads redis://host:notaport without complaint and fails only when connecting.
        throw new InvalidOptionException("uri", mask(uri), "port must be a number from 1 to 65535, was '" + port + "'");
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

    public RedisConfig build() {
      if (uri == null) {
        throw new InvalidOptionException("uri", null, "is required");
      }
      if (tls == null) {
        tls = tlsFromUri;
      }
      if (tls != null && !uri.startsWith("rediss")) {
        throw new InvalidOptionException("tls", tls, "needs a TLS URI (rediss://...), the URI is " + mask(uri));
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
