package io.bullpen.redis.internal.connection;

import io.bullpen.QueueConnectionException;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.TlsOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.LoggerFactory;

/** Creates Lettuce clients and connections configured the way Bullpen needs them. */
public final class RedisConnections {
  private static final long FIRST_STARTUP_PAUSE_MILLIS = 100;
  private static final long LONGEST_STARTUP_PAUSE_MILLIS = 1_000;

  private RedisConnections() {}

  /**
   * A client whose commands fail with a timeout instead of queueing forever while Redis is away, and which
   * reconnects by itself when Redis comes back.
   */
  public static RedisClient newClient(RedisConfig config) {
    RedisClient client = RedisClient.create(config.redisUri());
    ClientOptions.Builder options = ClientOptions.builder();
    config.tls().ifPresent(tls -> options.sslOptions(sslOptions(tls)));
    client.setOptions(options
        .autoReconnect(true)
        .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build())
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        // A blocking read re-sent after a reconnect would wait on the server again while its caller has moved
        // on (the "alive but idle" worker); it fails instead, and its caller blocks anew.
        .replayFilter(BlockingCommandTimeouts::isBlocking)
        .build());
    return client;
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
  public static void shutdown(RedisClient client) {
    try {
      client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LoggerFactory.getLogger(RedisConnections.class).warn("Redis client did not shut down cleanly: {}", e.toString());
    }
  }

  /** A UTF-8 connection, or a {@link QueueConnectionException} naming the URI when Redis cannot be reached. */
  public static StatefulRedisConnection<String, String> connect(RedisClient client, RedisConfig config) {
    long deadline = System.nanoTime() + config.startupWait().toNanos();
    long pauseMillis = FIRST_STARTUP_PAUSE_MILLIS;
    boolean reported = false;
    while (true) {
      try {
        return client.connect(StringCodec.UTF8);
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
