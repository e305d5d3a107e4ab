package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bullpen.QueueConnectionException;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.StandaloneOnly;
import io.bullpen.testkit.TlsCertificates;
import io.bullpen.testkit.TlsRedis;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Queues and workers over TLS against a real TLS Redis of the test's own (the testkit's, with certificates made
 * for the test). Mandatory where {@code BULLPEN_REQUIRE_TLS=1} ({@code .ci/run}, which installs a TLS-capable
 * redis-server).
 */
@RedisTest
@StandaloneOnly("a TLS-only single Redis of its own")
class TlsConnectionTest {
  @BeforeAll
  static void requireTls() {
    if ("1".equals(System.getenv("BULLPEN_REQUIRE_TLS"))) {
      assertTrue(TlsRedis.isAvailable(), "BULLPEN_REQUIRE_TLS=1 but " + TlsRedis.unavailableReason());
    }
    assumeTrue(TlsRedis.isAvailable(), TlsRedis.unavailableReason());
  }

  @Test
  void aQueueAndAWorkerTrustingTheServersCaRunJobsOverTls() throws Exception {
    try (TlsRedis redis = TlsRedis.builder().start()) {
      RedisConfig config = RedisConfig.builder().uri(redis.uri())
          .tls(TlsOptions.builder().trustedCertificates(redis.certificates().caCertificate()).build()).build();
      assertEquals("hi tls", RedisProbe.runOneJob(config, "tls"));
      RedisConfig inOneUri = RedisConfig.of(redis.uri() + "?tlsCa=" + redis.certificates().caCertificate());
      assertEquals("hi tls", RedisProbe.runOneJob(inOneUri, "tls"), "the same from one URI string");
    }
  }

  @Test
  void mutualTlsWorksWithPemFilesOrAKeyStore() throws Exception {
    try (TlsRedis redis = TlsRedis.builder().requireClientCertificate().start()) {
      TlsCertificates certificates = redis.certificates();
      RedisConfig pem = RedisConfig.builder().uri(redis.uri()).tls(TlsOptions.builder()
          .trustedCertificates(certificates.caCertificate())
          .clientCertificate(certificates.clientCertificate(), certificates.clientKey()).build()).build();
      assertEquals("hi tls", RedisProbe.runOneJob(pem, "tls"));
      char[] password = certificates.storePassword().toCharArray();
      RedisConfig stores = RedisConfig.builder().uri(redis.uri()).tls(TlsOptions.builder()
          .trustStore(certificates.trustStore(), password)
          .keyStore(certificates.clientKeyStore(), password).build()).build();
      assertEquals("hi tls", RedisProbe.runOneJob(stores, "tls"));
      RedisConfig noClientCertificate = RedisConfig.builder().uri(redis.uri()).connectTimeout(Duration.ofSeconds(3))
          .tls(TlsOptions.builder().trustedCertificates(certificates.caCertificate()).build()).build();
      assertThrows(QueueConnectionException.class, () -> new Queue("q", QueueOptions.of(noClientCertificate)).close());
    }
  }

  /** A server certificate the client does not trust is refused at once, with the TLS reason first. */
  @Test
  void anUntrustedServerCertificateFailsAtOnceSayingWhy() {
    try (TlsRedis redis = TlsRedis.builder().start(); TlsCertificates other = TlsCertificates.generate()) {
      RedisConfig wrongCa = RedisConfig.builder().uri("rediss://app:secret@127.0.0.1:" + redis.port())
          .connectTimeout(Duration.ofSeconds(3))
          .tls(TlsOptions.builder().trustedCertificates(other.caCertificate()).build()).build();
      long start = System.nanoTime();
      QueueConnectionException e = assertThrows(QueueConnectionException.class,
          () -> new Queue("q", QueueOptions.of(wrongCa)).close());
      assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 30, "no hang");
      String message = e.getMessage();
      assertTrue(message.startsWith("TLS: the server's certificate is not trusted"), message);
      assertFalse(message.contains("secret"), message);
    }
  }
}
