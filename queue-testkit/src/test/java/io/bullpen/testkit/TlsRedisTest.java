package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Needs a TLS-capable {@code redis-server} and {@code openssl}. Skipped without them, unless
 * {@code BULLPEN_REQUIRE_TLS=1} (set by {@code .ci/run}, which installs Debian's redis-server).
 */
@Tag(RedisTest.TAG)
class TlsRedisTest {

  @BeforeAll
  static void requireTls() {
    String reason = TlsRedis.unavailableReason();
    if ("1".equals(System.getenv("BULLPEN_REQUIRE_TLS"))) {
      assertTrue(TlsRedis.isAvailable(), "BULLPEN_REQUIRE_TLS=1 but " + reason);
    }
    assumeTrue(TlsRedis.isAvailable(), reason);
  }

  @Test
  void aClientTrustingTheCaTalksTlsAndAPlainClientIsNotAnswered() throws Exception {
    try (TlsRedis redis = TlsRedis.builder().start()) {
      assertEquals("rediss://127.0.0.1:" + redis.port(), redis.uri());
      assertTrue(Files.isRegularFile(redis.certificates().caCertificate()));
      assertEquals("PONG", ping(redis, trusting(redis.certificates())));
      assertEquals("PONG", ping(redis, redis.certificates().sslOptions()), "PKCS#12 stores work too");
      assertFalse(RedisPing.ping(redis.host(), redis.port(), Duration.ofMillis(500)), "answered plain text");

      redis.process().kill();
      redis.startServer();
      assertEquals("PONG", ping(redis, trusting(redis.certificates())), "same certificates after a restart");
    }
  }

  @Test
  void aClientTrustingAnotherCaFailsWithAnSslHandshakeError() {
    try (TlsRedis redis = TlsRedis.builder().start();
        TlsCertificates other = TlsCertificates.generate()) {
      RedisConnectionException refused =
          assertThrows(RedisConnectionException.class, () -> ping(redis, trusting(other)));
      SSLHandshakeException cause = causeOf(refused, SSLHandshakeException.class);
      assertTrue(cause.getMessage().contains("PKIX") || cause.getMessage().contains("certification path"),
          cause.getMessage());
    }
  }

  @Test
  void mutualTlsNeedsTheClientCertificate() throws Exception {
    try (TlsRedis redis = TlsRedis.builder().requireClientCertificate().start()) {
      assertEquals("PONG", ping(redis, redis.certificates().sslOptions()));
      RedisConnectionException refused =
          assertThrows(RedisConnectionException.class, () -> ping(redis, trusting(redis.certificates())));
      causeOf(refused, SSLException.class);
    }
  }

  @Test
  void startsAndStopsByPidAndLeavesNoFiles() {
    TlsRedis redis = TlsRedis.builder().start();
    long pid = redis.process().pid();
    java.nio.file.Path certificates = redis.certificates().caCertificate().getParent();
    redis.close();
    assertFalse(Resp.alive(pid), "process " + pid + " lives on");
    assertFalse(Files.exists(certificates), certificates + " is left");
  }

  private static SslOptions trusting(TlsCertificates certificates) {
    return SslOptions.builder().jdkSslProvider().trustManager(certificates.caCertificate().toFile()).build();
  }

  private static String ping(TlsRedis redis, SslOptions ssl) {
    RedisClient client = RedisClient.create();
    client.setOptions(ClientOptions.builder().sslOptions(ssl).autoReconnect(false).build());
    try (StatefulRedisConnection<String, String> connection =
        client.connect(RedisURI.builder(RedisURI.create(redis.uri())).withTimeout(Duration.ofSeconds(5)).build())) {
      return connection.sync().ping();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static <T extends Throwable> T causeOf(Throwable error, Class<T> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " among the causes of " + error, error);
  }
}
