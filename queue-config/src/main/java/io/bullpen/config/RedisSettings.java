package io.bullpen.config;

import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.TlsOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code [redis]} table: where Redis is and how to talk to it, bound to queue-redis's {@link RedisConfig}.
 * The password may be kept out of the URI (and out of the file) with {@code BULLPEN_REDIS_PASSWORD}.
 */
public final class RedisSettings {
  public static final Setting<String> URI = Setting.string("uri", "redis://127.0.0.1:6379")
      .shownAs(RedisSettings::masked)
      .doc("redis://, rediss://, redis-sentinel:// or redis-cluster://host:port,host:port");
  public static final Setting<String> USERNAME = Setting.string("username", null)
      .doc("ACL user, added to the URI (which must then carry no credentials)");
  public static final Setting<String> PASSWORD = Setting.secret("password")
      .doc("password, added to the URI; best given as BULLPEN_REDIS_PASSWORD");
  public static final Setting<Duration> COMMAND_TIMEOUT = Setting.duration("command_timeout", Duration.ofSeconds(5))
      .doc("longest wait for one command");
  public static final Setting<Duration> CONNECT_TIMEOUT = Setting.duration("connect_timeout", Duration.ofSeconds(5))
      .doc("longest wait for a connection");
  public static final Setting<Duration> STARTUP_WAIT = Setting.duration("startup_wait", Duration.ZERO)
      .doc("how long the first connection keeps trying while Redis is not up yet");
  public static final Setting<String> CLIENT_NAME = Setting.string("client_name", null)
      .doc("CLIENT SETNAME of the command connections");
  public static final Setting<Integer> MAX_PAYLOAD_BYTES = Setting.integer("max_payload_bytes", 20_000_000, 1,
      536_870_912).doc("largest job data accepted and read");
  public static final Setting<Duration> RECONNECT_DELAY_MAX = Setting.duration("reconnect_delay_max",
      Duration.ofSeconds(1)).doc("longest pause between reconnect attempts");
  public static final Setting<Duration> TOPOLOGY_REFRESH_PERIOD = Setting.duration("topology_refresh_period",
      Duration.ofSeconds(30)).doc("cluster: how often the slot map is read again");
  public static final Setting<Integer> REPLICAS_TO_WAIT_FOR = Setting.integer("replicas_to_wait_for", 0, 0, 100)
      .doc("replicas that must have an added job before an add returns");
  public static final Setting<Duration> REPLICA_WAIT_TIMEOUT = Setting.duration("replica_wait_timeout",
      Duration.ofSeconds(1)).doc("how long an add waits for those replicas");
  public static final Setting<Path> TLS_CA_FILE = Setting.path("tls_ca_file")
      .doc("PEM file of the certificates that sign the server's (rediss:// only)");
  public static final Setting<Path> TLS_CERT_FILE = Setting.path("tls_cert_file")
      .doc("PEM client certificate chain, with tls_key_file");
  public static final Setting<Path> TLS_KEY_FILE = Setting.path("tls_key_file").doc("PEM private key of tls_cert_file");

  /** {@code [redis]}, bound to a {@link RedisConfig}. */
  public static final ConfigSection<RedisConfig> SECTION = ConfigSection.of("redis",
      List.of(URI, USERNAME, PASSWORD, COMMAND_TIMEOUT, CONNECT_TIMEOUT, STARTUP_WAIT, CLIENT_NAME, MAX_PAYLOAD_BYTES,
          RECONNECT_DELAY_MAX, TOPOLOGY_REFRESH_PERIOD, REPLICAS_TO_WAIT_FOR, REPLICA_WAIT_TIMEOUT, TLS_CA_FILE,
          TLS_CERT_FILE, TLS_KEY_FILE),
      RedisSettings::bind);

  private RedisSettings() {}

  private static RedisConfig bind(SectionValues v) {
    String uri = withCredentials(v);
    RedisConfig.Builder b = RedisConfig.builder().uri(uri)
        .commandTimeout(v.get(COMMAND_TIMEOUT))
        .connectTimeout(v.get(CONNECT_TIMEOUT))
        .startupWait(v.get(STARTUP_WAIT))
        .maxPayloadBytes(v.get(MAX_PAYLOAD_BYTES))
        .reconnectDelayMax(v.get(RECONNECT_DELAY_MAX))
        .topologyRefreshPeriod(v.get(TOPOLOGY_REFRESH_PERIOD))
        .waitForReplicas(v.get(REPLICAS_TO_WAIT_FOR), v.get(REPLICA_WAIT_TIMEOUT));
    v.find(CLIENT_NAME).ifPresent(b::clientName);
    Path ca = v.get(TLS_CA_FILE);
    Path cert = v.get(TLS_CERT_FILE);
    Path key = v.get(TLS_KEY_FILE);
    if ((cert == null) != (key == null)) {
      throw v.reject(cert == null ? TLS_KEY_FILE : TLS_CERT_FILE, "tls_cert_file and tls_key_file go together");
    }
    if (ca != null || cert != null) {
      TlsOptions.Builder tls = TlsOptions.builder();
      if (ca != null) {
        tls.trustedCertificates(ca);
      }
      if (cert != null) {
        tls.clientCertificate(cert, key);
      }
      if (!uri.startsWith("rediss")) {
        throw v.reject(ca != null ? TLS_CA_FILE : TLS_CERT_FILE,
            "TLS files need a TLS URI (rediss://...), redis.uri is " + masked(uri));
      }
      b.tls(tls.build());
    }
    return b.build();
  }

  /** The URI with {@code username}/{@code password} put into its user info. */
  private static String withCredentials(SectionValues v) {
    String uri = v.get(URI);
    String user = v.get(USERNAME);
    String password = v.get(PASSWORD);
    if (user == null && password == null) {
      return uri;
    }
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      throw v.reject(URI, "must be a Redis URI such as redis://127.0.0.1:6379, was " + masked(uri));
    }
    String rest = uri.substring(scheme + 3);
    int authorityEnd = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int at = rest.indexOf(c);
      if (at >= 0 && at < authorityEnd) {
        authorityEnd = at;
      }
    }
    if (rest.substring(0, authorityEnd).contains("@")) {
      throw v.reject(password != null ? PASSWORD : USERNAME,
          "redis.uri carries credentials already; give them in one place");
    }
    if (password == null) {
      throw v.reject(USERNAME, "an ACL user needs redis.password too");
    }
    String info = (user == null ? "" : encode(user)) + ":" + encode(password);
    return uri.substring(0, scheme + 3) + info + "@" + rest;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code uri} with its password masked; {@code ***} for text that is no URI. */
  static String masked(String uri) {
    try {
      return RedisConfig.of(uri).maskedUri();
    } catch (RuntimeException e) {
      return "***";
    }
  }
}
