package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsOptionsTest {
  @TempDir
  Path dir;

  private Path file(String name) throws Exception {
    return Files.writeString(dir.resolve(name), "-----BEGIN CERTIFICATE-----\n");
  }

  @Test
  void tlsFilesNamedInTheUriAreTakenOutOfItSoOneEnvironmentVariableHoldsTheWholeSetup() throws Exception {
    Path ca = file("ca.pem");
    Path cert = file("client.pem");
    Path key = file("client.key");
    RedisConfig config = RedisConfig.of("rediss://app:pw@redis.internal:6380/2?tlsCa=" + ca + "&verifyPeer=CA&tlsCert="
        + cert + "&tlsKey=" + key);
    assertEquals("rediss://app:pw@redis.internal:6380/2?verifyPeer=CA", config.uri());
    TlsOptions tls = config.tls().orElseThrow();
    assertEquals(Optional.of(ca), tls.trustedCertificates());
    assertEquals(Optional.of(cert), tls.clientCertificate());
    assertEquals(Optional.of(key), tls.clientKey());
    assertEquals(2, config.redisUri().getDatabase());
    assertTrue(config.redisUri().isSsl());
  }

  @Test
  void aTlsUriVerifiesThePeerByDefault() {
    assertEquals(io.lettuce.core.SslVerifyMode.FULL, RedisConfig.of("rediss://127.0.0.1:6380").redisUri().getVerifyMode());
    assertEquals(Optional.empty(), RedisConfig.of("rediss://127.0.0.1:6380").tls());
  }

  @Test
  void badTlsSettingsNameTheSettingAndTheValue() throws Exception {
    Path missing = dir.resolve("nope.pem");
    InvalidOptionException notThere = assertThrows(InvalidOptionException.class,
        () -> TlsOptions.builder().trustedCertificates(missing));
    assertTrue(notThere.getMessage().contains("tls.trustedCertificates") && notThere.getMessage().contains("nope.pem"),
        notThere.getMessage());
    InvalidOptionException inUri = assertThrows(InvalidOptionException.class,
        () -> RedisConfig.of("rediss://:secret@h:6380?tlsCa=" + missing));
    assertTrue(inUri.getMessage().contains("tls.trustedCertificates"), inUri.getMessage());
    InvalidOptionException halfAPair = assertThrows(InvalidOptionException.class,
        () -> RedisConfig.of("rediss://:secret@h:6380?tlsCert=" + file("c.pem")));
    assertTrue(halfAPair.getMessage().contains("tlsKey"), halfAPair.getMessage());
    assertFalse(halfAPair.getMessage().contains("secret"), halfAPair.getMessage());
    TlsOptions tls = TlsOptions.builder().trustedCertificates(file("ca.pem")).build();
    InvalidOptionException plain = assertThrows(InvalidOptionException.class,
        () -> RedisConfig.builder().uri("redis://127.0.0.1:6379").tls(tls).build());
    assertTrue(plain.getMessage().contains("rediss://"), plain.getMessage());
    assertThrows(InvalidOptionException.class, () -> TlsOptions.builder().trustedCertificates(file("a.pem"))
        .trustStore(file("b.p12"), "pw".toCharArray()).build());
  }

  @Test
  void storePasswordsAreNeverShown() throws Exception {
    TlsOptions tls = TlsOptions.builder().trustStore(file("trust.p12"), "trust-secret".toCharArray())
        .keyStore(file("keys.p12"), "key-secret".toCharArray()).build();
    RedisConfig config = RedisConfig.builder().uri("rediss://127.0.0.1:6380").tls(tls).build();
    assertFalse(config.toString().contains("secret"), config.toString());
    assertTrue(config.toString().contains("trust.p12"), config.toString());
    assertEquals("trust-secret", new String(tls.trustStorePassword()));
  }
}
