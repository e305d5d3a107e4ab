package io.bullpen.testkit;

import java.util.Locale;
import java.util.Map;

/**
 * Which kind of Redis the shared test server is: a single server (the default) or a local Redis Cluster, chosen
 * by the environment variable {@value #ENV} or the system property {@value #PROPERTY} ({@code standalone} or
 * {@code cluster}; the property wins). The same test suite then runs against either.
 */
public enum RedisTopology {
  /** One {@code redis-server}: {@code REDIS_URL}, a container or the embedded binary ({@link RedisLauncher}). */
  STANDALONE,
  /** A local Redis Cluster of three masters, started by the test kit ({@link RedisCluster}). */
  CLUSTER;

  /** Environment variable selecting the topology. */
  public static final String ENV = "BULLPEN_TEST_TOPOLOGY";
  /** System property selecting the topology; wins over {@value #ENV}. */
  public static final String PROPERTY = "bullpen.test.topology";

  /** The topology this JVM's tests run against. */
  public static RedisTopology current() {
    return of(System.getProperty(PROPERTY), System.getenv());
  }

  /** Whether this JVM's tests run against a Redis Cluster. */
  public static boolean isCluster() {
    return current() == CLUSTER;
  }

  /** The topology named by {@code property}, else by {@value #ENV} in {@code env}, else standalone. */
  static RedisTopology of(String property, Map<String, String> env) {
    String value = property != null && !property.isBlank() ? property : env.get(ENV);
    if (value == null || value.isBlank()) {
      return STANDALONE;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ENV + " (or -D" + PROPERTY + ") must be 'standalone' or 'cluster', was '"
          + value + "'", e);
    }
  }
}
