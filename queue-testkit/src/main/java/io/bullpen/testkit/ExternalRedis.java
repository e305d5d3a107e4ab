package io.bullpen.testkit;

import java.net.URI;
import java.net.URISyntaxException;

/** A Redis named by {@code REDIS_URL}. Someone else owns it, so we never stop, restart or flush it. */
final class ExternalRedis implements RunningRedis {
  private final String uri;
  private final String host;
  private final int port;

  private ExternalRedis(String uri, String host, int port) {
    this.uri = uri;
    this.host = host;
    this.port = port;
  }

  /**
   * Parses {@code redis://[user:password@]host:port[/db]} (or {@code rediss://}). The port must be explicit: we
   * never guess one, least of all 6379.
   */
  static ExternalRedis fromUrl(String text) {
    String value = text.trim();
    URI parsed;
    try {
      parsed = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("REDIS_URL is not a URI: " + e.getMessage(), e);
    }
    String scheme = parsed.getScheme();
    if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss://");
    }
    String host = parsed.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("REDIS_URL has no host");
    }
    if (parsed.getPort() < 0) {
      throw new IllegalArgumentException("REDIS_URL must name a port, e.g. redis://" + host + ":6390");
    }
    // URI keeps the brackets around IPv6 literals; socket APIs want the bare address.
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new ExternalRedis(value, host, parsed.getPort());
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String source() {
    return SOURCE_REDIS_URL;
  }

  /** Does nothing: the server is not ours. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    // Host and port only: the URL may carry a password.
    return "Redis from REDIS_URL at " + host + ":" + port;
  }
}
