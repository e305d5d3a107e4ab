package io.bullpen.testkit;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@code redis:7} container started through Testcontainers. Only this class refers to Testcontainers types, so
 * the rest of the kit loads even where the engine (or the library) is missing.
 */
final class ContainerRedis implements RunningRedis {
  /** The port Redis listens on inside the container; the host side is a random mapped port. */
  private static final int CONTAINER_PORT = 6379;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final GenericContainer<?> container;
  private final String host;
  private final int port;
  private final Thread shutdownHook;
  private boolean closed; // guarded by this

  private ContainerRedis(GenericContainer<?> container) {
    this.container = container;
    this.host = container.getHost();
    this.port = container.getMappedPort(CONTAINER_PORT);
    this.shutdownHook = new Thread(container::stop, "bullpen-redis-container-shutdown");
  }

  /** Starts the container and waits until Redis answers PING on the mapped port. */
  @SuppressWarnings("resource") // closed by close() or the shutdown hook
  static ContainerRedis start() {
    GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7"))
        .withExposedPorts(CONTAINER_PORT)
        .withCommand("redis-server", "--save", "", "--appendonly", "no");
    container.start();
    ContainerRedis redis;
    try {
      redis = new ContainerRedis(container);
      awaitPing(redis.host, redis.port);
    } catch (RuntimeException e) {
      container.stop();
      throw e;
    }
    // Testcontainers' reaper would remove it eventually; the hook makes it prompt.
    Runtime.getRuntime().addShutdownHook(redis.shutdownHook);
    return redis;
  }

  private static void awaitPing(String host, int port) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!RedisPing.ping(host, port, Duration.ofSeconds(1))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis:7 container at " + host + ":" + port + " does not answer PING");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the redis container", e);
      }
    }
  }

  @Override
  public String uri() {
    return "redis://" + host + ":" + port;
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
    return SOURCE_TESTCONTAINERS;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    container.stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException ignored) {
      // The JVM is already shutting down; the hook stops the container.
    }
  }

  @Override
  public String toString() {
    return "redis:7 container at " + uri();
  }
}
