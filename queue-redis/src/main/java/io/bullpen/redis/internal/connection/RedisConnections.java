package io.bullpen.redis.internal.connection;

import io.bullpen.QueueConnectionException;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.TlsOptions;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.security.cert.CertificateException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.LoggerFactory;

/** Creates Lettuce resources, clients and connections configured the way Bullpen needs them. */
public final class RedisConnections {
  private static final long FIRST_STARTUP_PAUSE_MILLIS = 100;
  private static final long LONGEST_STARTUP_PAUSE_MILLIS = 1_000;

  private RedisConnections() {}

  /** Lettuce's event loops and timers for one connector, reconnecting with short pauses (see the config). */
  static ClientResources newResources(RedisConfig config) {
    return DefaultClientResources.builder()
        .reconnectDelay(Delay.equalJitter(Duration.ofMillis(1), config.reconnectDelayMax(), 1, TimeUnit.MILLISECONDS))
        .build();
  }

  /**
   * A standalone (or Sentinel) client whose commands fail with a timeout instead of queueing forever while Redis is
   * away, and which reconnects by itself when Redis comes back.
   */
  static RedisClient newClient(RedisConfig config, ClientResources resources, BlockingCommandTimeouts timeouts) {
    RedisClient client = RedisClient.create(resources);
    client.setOptions(configure(ClientOptions.builder(), config, timeouts).build());
    return client;
  }

  /**
   * A cluster client as {@link #newClient}, which also reads the topology again periodically, on redirects and when
   * a node cannot be reached, so that it follows failovers and resharding.
   */
  static RedisClusterClient newClusterClient(RedisConfig config, ClientResources resources,
      BlockingCommandTimeouts timeouts) {
    RedisClusterClient client = RedisClusterClient.create(resources, config.clusterSeeds());
    ClusterClientOptions.Builder options = ClusterClientOptions.builder();
    configure(options, config, timeouts);
    // A cluster connection connects to a node when the first command for it comes, and again after a failover:
    // rejecting commands meanwhile would fail the calls that happen to come first. They wait instead, bounded
    // by the command timeout.
    options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
    client.setOptions(options
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enablePeriodicRefresh(config.topologyRefreshPeriod())
            .enableAllAdaptiveRefreshTriggers()
            .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
            .build())
        .build());
    return client;
  }

  private static <B extends ClientOptions.Builder> B configure(B options, RedisConfig config,
      BlockingCommandTimeouts timeouts) {
    config.tls().ifPresent(tls -> options.sslOptions(sslOptions(tls)));
    options
        .autoReconnect(true)
        .timeoutOptions(timeouts.options())
        .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build())
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        // A blocking read re-sent after a reconnect would wait on the server again while its caller has moved
        // on (the "alive but idle" worker); it fails instead, and its caller blocks anew.
        .replayFilter(BlockingCommandTimeouts::isBlocking);
    return options;
  }

  /** Lettuce's TLS settings for {@code tls}: the JDK's TLS, trusting and presenting what it names. */
  static SslOptions sslOptions(TlsOptions tls) {
    SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
    tls.trustedCertificates().ifPresent(pem -> ssl.trustManager(pem.toFile()));
    tls.trustStore().ifPresent(store -> ssl.truststore(store.toFile(), new String(tls.trustStorePassword())));
    if (tls.clientCertificate().isPresent()) {
      ssl.keyManager(tls.clientCertificate().get().toFile(), tls.clientKey().orElseThrow().toFile(), null);
    }
    tls.keyStore().ifPresent(store -> ssl.keystore(store.toFile(), tls.keyStorePassword()));
    return ssl.build();
  }

  /**
   * Shuts {@code client} down, waiting at most a few seconds. Lettuce's own {@code shutdown()} waits without
   * bound, and a test run once hung there for good after Redis had gone; closing must never hang a caller.
   */
  public static void shutdown(AbstractRedisClient client) {
    awaitShutdown(client.shutdownAsync(0, 2, TimeUnit.SECONDS), "Redis client");
  }

  /** As {@link #shutdown(AbstractRedisClient)}, for event loops and timers. */
  static void shutdown(ClientResources resources) {
    awaitShutdown(resources.shutdown(0, 2, TimeUnit.SECONDS), "Redis client resources");
  }

  private static void awaitShutdown(java.util.concurrent.Future<?> done, String what) {
    try {
      done.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LoggerFactory.getLogger(RedisConnections.class).warn("{} did not shut down cleanly: {}", what, e.toString());
    }
  }

  /**
   * The connection {@code connect} opens, trying again for {@link RedisConfig#startupWait()} while Redis cannot be
   * reached, or a {@link QueueConnectionException} with the reason first and the URI masked.
   */
  static <C> C connect(RedisConfig config, Supplier<C> connect) {
    long deadline = System.nanoTime() + config.startupWait().toNanos();
    long pauseMillis = FIRST_STARTUP_PAUSE_MILLIS;
    boolean reported = false;
    while (true) {
      try {
        return connect.get();
      } catch (RuntimeException e) {
        if (answeredByRedis(e) || System.nanoTime() + pauseMillis * 1_000_000 - deadline > 0) {
          throw connectFailure(config, e);
        }
        if (!reported) {
          reported = true;
          LoggerFactory.getLogger(RedisConnections.class).info("{}; trying again for up to {}",
              connectFailure(config, e).getMessage(), config.startupWait());
        }
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw connectFailure(config, e);
        }
        pauseMillis = Math.min(pauseMillis * 2, LONGEST_STARTUP_PAUSE_MILLIS);
      }
    }
  }

  /** Whether Redis itself refused (a wrong password, a missing right) or TLS failed: waiting would not help. */
  private static boolean answeredByRedis(Throwable error) {
    if (has(error, SSLException.class)) {
      return true;
    }
    for (Throwable cause = error; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
      if (cause instanceof RedisCommandExecutionException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The error for a failed connect: the real reason first (e.g. {@code WRONGPASS ...}, an untrusted certificate,
   * a refused connection), found at the bottom of Lettuce's causes, then the URI with its password masked.
   */
  public static QueueConnectionException connectFailure(RedisConfig config, Throwable error) {
    String reason = null;
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        reason = cause.getMessage();
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    String why = reason != null ? reason : error.getClass().getName();
    if (has(error, CertificateException.class) || has(error, CertPathValidatorException.class)) {
      why = "TLS: the server's certificate is not trusted (check tls.trustedCertificates or tls.trustStore, and the"
          + " URI's host): " + why;
    } else if (has(error, SSLException.class)) {
      why = "TLS handshake failed (a server asking for a client certificate needs tls.clientCertificate or"
          + " tls.keyStore): " + why;
    }
    return new QueueConnectionException(why + " (connecting to Redis at " + config.maskedUri() + ")", error);
  }

  private static boolean has(Throwable error, Class<? extends Throwable> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
