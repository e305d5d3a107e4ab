package io.bullpen.testkit;

import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Finds or starts a Redis for tests. With {@link RedisTopology#CLUSTER} selected ({@code BULLPEN_TEST_TOPOLOGY=cluster})
 * it starts a local Redis Cluster of three masters ({@link RedisCluster}); {@code REDIS_URL} must then be unset.
 * Otherwise the first of these that applies wins:
 *
 * <ol>
 *   <li>the environment variable {@code REDIS_URL}, e.g. {@code redis://127.0.0.1:6390} — used as is, never
 *       stopped or flushed;
 *   <li>a {@code redis:7} container through Testcontainers, only if a Docker engine answers;
 *   <li>the {@code redis-server} binary shipped in {@code org.signal:embedded-redis}, run as a child process on a
 *       free loopback port.
 * </ol>
 *
 * <p>Every call starts a new server (except for {@code REDIS_URL}); to share one per test JVM use
 * {@link RedisExtension}.
 */
public final class RedisLauncher {
  /** Environment variable naming an existing Redis to use instead of starting one. */
  public static final String REDIS_URL_ENV = "REDIS_URL";

  private RedisLauncher() {}

  /** Returns a Redis chosen as described on this class; close it when done. */
  public static RunningRedis start() {
    return start(RedisTopology.current(), System.getenv(), DockerProbe::engineAnswers);
  }

  /** Starts an embedded {@code redis-server}, whatever the environment says; it supports restarts. */
  public static RunningRedis startEmbedded() {
    return EmbeddedRedis.start();
  }

  /** The selection logic, with its inputs passed in so tests can exercise it. */
  static RunningRedis start(Map<String, String> env, BooleanSupplier dockerAnswers) {
    return start(RedisTopology.of(null, env), env, dockerAnswers);
  }

  private static RunningRedis start(RedisTopology topology, Map<String, String> env, BooleanSupplier dockerAnswers) {
    String url = env.get(REDIS_URL_ENV);
    if (topology == RedisTopology.CLUSTER) {
      if (url != null && !url.isBlank()) {
        throw new IllegalArgumentException(RedisTopology.ENV + "=cluster starts a local Redis Cluster, but "
            + REDIS_URL_ENV + " is set too: unset one of them");
      }
      return ClusterRedis.start();
    }
    if (url != null && !url.isBlank()) {
      return ExternalRedis.fromUrl(url);
    }
    if (dockerAnswers.getAsBoolean()) {
      return ContainerRedis.start();
    }
    return EmbeddedRedis.start();
  }
}
