package io.bullpen.spring.boot;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.TlsOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code bullpen.redis.*}: one URI, or its parts (host and port, Sentinel nodes, or cluster nodes), with
 * credentials, TLS files and Bullpen's connection limits. Bound to queue-redis's {@link RedisConfig}.
 */
public class RedisProperties {
  private static final String PREFIX = "bullpen.redis.";

  /**
   * The whole Redis URI: redis://, rediss:// (TLS), redis-sentinel://host:port,host:port#master or
   * redis-cluster://host:port,host:port. When set, host, port, database, ssl, sentinel and cluster must not be.
   */
  private String uri;

  /** Redis host, when no URI is given. */
  private String host;

  /** Redis port, when no URI is given (6379 by default). */
  private Integer port;

  /** Database index, when no URI is given (0 by default; a cluster has only 0). */
  private Integer database;

  /** Whether to connect with TLS (rediss://), when no URI is given. */
  private boolean ssl;

  /** ACL user name, added to the URI (which must then carry no credentials). */
  private String username;

  /** Password, added to the URI (which must then carry no credentials). */
  private String password;

  /** Sentinel set, instead of host and port. */
  @NestedConfigurationProperty
  private Sentinel sentinel = new Sentinel();

  /** Redis Cluster seed nodes, instead of host and port. */
  @NestedConfigurationProperty
  private Cluster cluster = new Cluster();

  /** Trust and client certificates for TLS. */
  @NestedConfigurationProperty
  private Tls tls = new Tls();

  /** Longest wait for one command (5 s by default). */
  private Duration commandTimeout;

  /** Longest wait for a connection (5 s by default). */
  private Duration connectTimeout;

  /** How long the first connection keeps trying while Redis is not up yet (0 by default: fail at once). */
  private Duration startupWait;

  /** CLIENT SETNAME of the command connections. */
  private String clientName;

  /** Largest job data accepted and read, in bytes (20,000,000 by default). */
  private Integer maxPayloadBytes;

  /** Longest pause between reconnect attempts (1 s by default). */
  private Duration reconnectDelayMax;

  /** Cluster only: how often the slot map is read again (30 s by default). */
  private Duration topologyRefreshPeriod;

  /** Replicas that must have an added job before an add returns (0 by default). */
  private Integer replicasToWaitFor;

  /** How long an add waits for those replicas (1 s by default). */
  private Duration replicaWaitTimeout;

  /** The {@link RedisConfig} these properties describe. */
  public RedisConfig toRedisConfig() {
    String target = uriWithCredentials(baseUri());
    RedisConfig.Builder b = RedisConfig.builder();
    Props.apply(uri != null ? PREFIX + "uri" : PREFIX + "host", target, b::uri);
    Props.apply(PREFIX + "command-timeout", commandTimeout, b::commandTimeout);
    Props.apply(PREFIX + "connect-timeout", connectTimeout, b::connectTimeout);
    Props.apply(PREFIX + "startup-wait", startupWait, b::startupWait);
    Props.apply(PREFIX + "client-name", clientName, b::clientName);
    Props.apply(PREFIX + "max-payload-bytes", maxPayloadBytes, b::maxPayloadBytes);
    Props.apply(PREFIX + "reconnect-delay-max", reconnectDelayMax, b::reconnectDelayMax);
    Props.apply(PREFIX + "topology-refresh-period", topologyRefreshPeriod, b::topologyRefreshPeriod);
    if (replicasToWaitFor != null || replicaWaitTimeout != null) {
      int replicas = replicasToWaitFor == null ? 0 : replicasToWaitFor;
      Duration timeout = replicaWaitTimeout == null ? Duration.ofSeconds(1) : replicaWaitTimeout;
      Props.apply(PREFIX + "replicas-to-wait-for", replicas, r -> b.waitForReplicas(r, timeout));
    }
    TlsOptions tlsOptions = tls.toTlsOptions();
    if (tlsOptions != null) {
      Props.apply(PREFIX + "tls", tlsOptions, b::tls);
    }
    try {
      return b.build();
    } catch (InvalidOptionException e) {
      throw Props.renamed(PREFIX + Props.kebab(e.field()), e.value(), e);
    }
  }

  private String baseUri() {
    boolean parts = host != null || port != null || database != null || ssl;
    boolean sentinelSet = !sentinel.nodes.isEmpty() || sentinel.master != null;
    boolean clusterSet = !cluster.nodes.isEmpty();
    if (uri != null) {
      String other = parts ? "host, port, database or ssl" : sentinelSet ? "sentinel" : clusterSet ? "cluster" : null;
      if (other != null) {
        throw new InvalidOptionException(PREFIX + "uri", Props.masked(uri),
            "give either the URI or bullpen.redis." + other + ", not both");
      }
      return uri;
    }
    if (sentinelSet && clusterSet) {
      throw new InvalidOptionException(PREFIX + "cluster.nodes", cluster.nodes,
          "a Sentinel set and a cluster exclude each other");
    }
    if (clusterSet) {
      if (host != null || port != null || (database != null && database != 0)) {
        throw new InvalidOptionException(PREFIX + "cluster.nodes", cluster.nodes,
            "a cluster takes its nodes, not bullpen.redis.host, port or database");
      }
      return (ssl ? "rediss-cluster://" : "redis-cluster://") + nodes("cluster.nodes", cluster.nodes);
    }
    String path = database == null ? "" : "/" + database;
    if (sentinelSet) {
      if (sentinel.master == null || sentinel.master.isBlank()) {
        throw new InvalidOptionException(PREFIX + "sentinel.master", sentinel.master,
            "is required with bullpen.redis.sentinel.nodes: the name the sentinels monitor");
      }
      if (sentinel.nodes.isEmpty()) {
        throw new InvalidOptionException(PREFIX + "sentinel.nodes", sentinel.nodes,
            "needs at least one host:port with bullpen.redis.sentinel.master");
      }
      if (host != null || port != null) {
        throw new InvalidOptionException(PREFIX + "sentinel.nodes", sentinel.nodes,
            "a Sentinel set takes its nodes, not bullpen.redis.host or port");
      }
      return (ssl ? "rediss-sentinel://" : "redis-sentinel://") + nodes("sentinel.nodes", sentinel.nodes) + path
          + "#" + sentinel.master;
    }
    return (ssl ? "rediss://" : "redis://") + (host == null ? "127.0.0.1" : host) + ":"
        + (port == null ? 6379 : port) + path;
  }

  private static String nodes(String property, List<String> nodes) {
    List<String> cleaned = new ArrayList<>();
    for (String node : nodes) {
      if (node == null || node.isBlank() || node.contains("/") || node.contains("@")) {
        throw new InvalidOptionException(PREFIX + property, node, "each node must be host:port");
      }
      cleaned.add(node.trim());
    }
    return String.join(",", cleaned);
  }

  /** {@code base} with username and password put into its user info. */
  private String uriWithCredentials(String base) {
    if (username == null && password == null) {
      return base;
    }
    int scheme = base.indexOf("://");
    if (scheme < 0) {
      throw new InvalidOptionException(PREFIX + "uri", Props.masked(base),
          "must be a Redis URI such as redis://127.0.0.1:6379");
    }
    String rest = base.substring(scheme + 3);
    int authorityEnd = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int at = rest.indexOf(c);
      if (at >= 0 && at < authorityEnd) {
        authorityEnd = at;
      }
    }
    if (rest.substring(0, authorityEnd).contains("@")) {
      throw new InvalidOptionException(password != null ? PREFIX + "password" : PREFIX + "username", "***",
          "bullpen.redis.uri carries credentials already; give them in one place");
    }
    if (password == null) {
      throw new InvalidOptionException(PREFIX + "username", username, "an ACL user needs bullpen.redis.password too");
    }
    String info = (username == null ? "" : encode(username)) + ":" + encode(password);
    return base.substring(0, scheme + 3) + info + "@" + rest;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public Integer getDatabase() {
    return database;
  }

  public void setDatabase(Integer database) {
    this.database = database;
  }

  public boolean isSsl() {
    return ssl;
  }

  public void setSsl(boolean ssl) {
    this.ssl = ssl;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public Sentinel getSentinel() {
    return sentinel;
  }

  public void setSentinel(Sentinel sentinel) {
    this.sentinel = sentinel;
  }

  public Cluster getCluster() {
    return cluster;
  }

  public void setCluster(Cluster cluster) {
    this.cluster = cluster;
  }

  public Tls getTls() {
    return tls;
  }

  public void setTls(Tls tls) {
    this.tls = tls;
  }

  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  public void setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getStartupWait() {
    return startupWait;
  }

  public void setStartupWait(Duration startupWait) {
    this.startupWait = startupWait;
  }

  public String getClientName() {
    return clientName;
  }

  public void setClientName(String clientName) {
    this.clientName = clientName;
  }

  public Integer getMaxPayloadBytes() {
    return maxPayloadBytes;
  }

  public void setMaxPayloadBytes(Integer maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  public Duration getReconnectDelayMax() {
    return reconnectDelayMax;
  }

  public void setReconnectDelayMax(Duration reconnectDelayMax) {
    this.reconnectDelayMax = reconnectDelayMax;
  }

  public Duration getTopologyRefreshPeriod() {
    return topologyRefreshPeriod;
  }

  public void setTopologyRefreshPeriod(Duration topologyRefreshPeriod) {
    this.topologyRefreshPeriod = topologyRefreshPeriod;
  }

  public Integer getReplicasToWaitFor() {
    return replicasToWaitFor;
  }

  public void setReplicasToWaitFor(Integer replicasToWaitFor) {
    this.replicasToWaitFor = replicasToWaitFor;
  }

  public Duration getReplicaWaitTimeout() {
    return replicaWaitTimeout;
  }

  public void setReplicaWaitTimeout(Duration replicaWaitTimeout) {
    this.replicaWaitTimeout = replicaWaitTimeout;
  }

  /** {@code bullpen.redis.sentinel.*}. */
  public static class Sentinel {
    /** The name of the master the sentinels monitor. */
    private String master;

    /** Sentinel nodes, host:port each. */
    private List<String> nodes = new ArrayList<>();

    public String getMaster() {
      return master;
    }

    public void setMaster(String master) {
      this.master = master;
    }

    public List<String> getNodes() {
      return nodes;
    }

    public void setNodes(List<String> nodes) {
      this.nodes = nodes;
    }
  }

  /** {@code bullpen.redis.cluster.*}. */
  public static class Cluster {
    /** Seed nodes of the cluster, host:port each. */
    private List<String> nodes = new ArrayList<>();

    public List<String> getNodes() {
      return nodes;
    }

    public void setNodes(List<String> nodes) {
      this.nodes = nodes;
    }
  }

  /**
   * {@code bullpen.redis.tls.*}: what TLS trusts and presents, for servers the JVM's default trust store does not
   * cover. Peers are verified either way.
   */
  public static class Tls {
    /** PEM file of the certificates that sign the server's. */
    private Path caFile;

    /** PEM client certificate chain, with key-file. */
    private Path certFile;

    /** PEM private key of cert-file. */
    private Path keyFile;

    /** Trust store file (PKCS12 or JKS), instead of ca-file. */
    private Path trustStore;

    /** Password of the trust store. */
    private String trustStorePassword;

    /** Key store file with the client certificate, instead of cert-file and key-file. */
    private Path keyStore;

    /** Password of the key store. */
    private String keyStorePassword;

    TlsOptions toTlsOptions() {
      if (caFile == null && certFile == null && keyFile == null && trustStore == null && keyStore == null) {
        return null;
      }
      if ((certFile == null) != (keyFile == null)) {
        throw new InvalidOptionException(PREFIX + (certFile == null ? "tls.key-file" : "tls.cert-file"),
            certFile == null ? keyFile : certFile, "tls.cert-file and tls.key-file go together");
      }
      TlsOptions.Builder b = TlsOptions.builder();
      Props.apply(PREFIX + "tls.ca-file", caFile, b::trustedCertificates);
      Props.apply(PREFIX + "tls.trust-store", trustStore, file -> b.trustStore(file, chars(trustStorePassword)));
      if (certFile != null) {
        Props.apply(PREFIX + "tls.cert-file", certFile, file -> b.clientCertificate(file, keyFile));
      }
      Props.apply(PREFIX + "tls.key-store", keyStore, file -> b.keyStore(file, chars(keyStorePassword)));
      try {
        return b.build();
      } catch (InvalidOptionException e) {
        throw Props.renamed(PREFIX + Props.kebab(e.field()), e.value(), e);
      }
    }

    private static char[] chars(String password) {
      return password == null ? null : password.toCharArray();
    }

    public Path getCaFile() {
      return caFile;
    }

    public void setCaFile(Path caFile) {
      this.caFile = caFile;
    }

    public Path getCertFile() {
      return certFile;
    }

    public void setCertFile(Path certFile) {
      this.certFile = certFile;
    }

    public Path getKeyFile() {
      return keyFile;
    }

    public void setKeyFile(Path keyFile) {
      this.keyFile = keyFile;
    }

    public Path getTrustStore() {
      return trustStore;
    }

    public void setTrustStore(Path trustStore) {
      this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
      return trustStorePassword;
    }

    public void setTrustStorePassword(String trustStorePassword) {
      this.trustStorePassword = trustStorePassword;
    }

    public Path getKeyStore() {
      return keyStore;
    }

    public void setKeyStore(Path keyStore) {
      this.keyStore = keyStore;
    }

    public String getKeyStorePassword() {
      return keyStorePassword;
    }

    public void setKeyStorePassword(String keyStorePassword) {
      this.keyStorePassword = keyStorePassword;
    }
  }
}
