package io.bullpen.redis;

import io.bullpen.InvalidOptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What a TLS connection ({@code rediss://}) trusts and presents, for servers whose certificate the JVM's default
 * trust store does not cover, or that ask for a client certificate. The server's certificate is always verified
 * (chain and host name) unless the URI says otherwise ({@code ?verifyPeer=CA} checks the chain only,
 * {@code ?verifyPeer=NONE} nothing). Files are checked when the options are built; passwords are never shown.
 *
 * <pre>{@code
 * RedisConfig config = RedisConfig.builder().uri("rediss://redis.internal:6380")
 *     .tls(TlsOptions.builder().trustedCertificates(Path.of("/etc/redis/ca.pem")).build())
 *     .build();
 * }</pre>
 */
public final class TlsOptions {
  private final Path trustedCertificates;
  private final Path trustStore;
  private final char[] trustStorePassword;
  private final Path clientCertificate;
  private final Path clientKey;
  private final Path keyStore;
  private final char[] keyStorePassword;

  private TlsOptions(Builder b) {
    this.trustedCertificates = b.trustedCertificates;
    this.trustStore = b.trustStore;
    this.trustStorePassword = b.trustStorePassword;
    this.clientCertificate = b.clientCertificate;
    this.clientKey = b.clientKey;
    this.keyStore = b.keyStore;
    this.keyStorePassword = b.keyStorePassword;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** PEM file of the certificates (usually the CA) to trust instead of the JVM's default trust store. */
  public Optional<Path> trustedCertificates() {
    return Optional.ofNullable(trustedCertificates);
  }

  /** A JKS or PKCS#12 trust store to use instead of the JVM's default one. */
  public Optional<Path> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  /** The trust store's password (a copy), or empty. */
  public char[] trustStorePassword() {
    return trustStorePassword == null ? new char[0] : trustStorePassword.clone();
  }

  /** PEM file of the client's certificate chain, for servers that require client certificates. */
  public Optional<Path> clientCertificate() {
    return Optional.ofNullable(clientCertificate);
  }

  /** PEM file of the client certificate's private key (PKCS#8, unencrypted). */
  public Optional<Path> clientKey() {
    return Optional.ofNullable(clientKey);
  }

  /** A JKS or PKCS#12 key store holding the client certificate and key. */
  public Optional<Path> keyStore() {
    return Optional.ofNullable(keyStore);
  }

  /** The key store's password (a copy), or empty. */
  public char[] keyStorePassword() {
    return keyStorePassword == null ? new char[0] : keyStorePassword.clone();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("TlsOptions{");
    trustedCertificates().ifPresent(p -> s.append("trustedCertificates=").append(p).append(", "));
    trustStore().ifPresent(p -> s.append("trustStore=").append(p).append(", "));
    clientCertificate().ifPresent(p -> s.append("clientCertificate=").append(p).append(", "));
    keyStore().ifPresent(p -> s.append("keyStore=").append(p).append(", "));
    if (s.toString().endsWith(", ")) {
      s.setLength(s.length() - 2);
    }
    return s.append('}').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsOptions t && Objects.equals(trustedCertificates, t.trustedCertificates)
        && Objects.equals(trustStore, t.trustStore) && Arrays.equals(trustStorePassword, t.trustStorePassword)
        && Objects.equals(clientCertificate, t.clientCertificate)
        && Objects.equals(clientKey, t.clientKey) && Objects.equals(keyStore, t.keyStore)
        && Arrays.equals(keyStorePassword, t.keyStorePassword);
  }

  @Override
  public int hashCode() {
    return Objects.hash(trustedCertificates, trustStore, clientCertificate, clientKey, keyStore);
  }

  /** Builds {@link TlsOptions}; each file must exist and be readable. */
  public static final class Builder {
    private Path trustedCertificates;
    private Path trustStore;
    private char[] trustStorePassword;
    private Path clientCertificate;
    private Path clientKey;
    private Path keyStore;
    private char[] keyStorePassword;

    private Builder() {}

    /** See {@link TlsOptions#trustedCertificates()}. */
    public Builder trustedCertificates(Path pemFile) {
      this.trustedCertificates = readable("tls.trustedCertificates", pemFile);
      return this;
    }

    /** See {@link TlsOptions#trustStore()}; {@code password} may be null for a store without one. */
    public Builder trustStore(Path file, char[] password) {
      this.trustStore = readable("tls.trustStore", file);
      this.trustStorePassword = password == null ? null : password.clone();
      return this;
    }

    /** A client certificate chain and its private key, both PEM. */
    public Builder clientCertificate(Path certificateChainPem, Path privateKeyPem) {
      this.clientCertificate = readable("tls.clientCertificate", certificateChainPem);
      this.clientKey = readable("tls.clientKey", privateKeyPem);
      return this;
    }

    /** See {@link TlsOptions#keyStore()}. */
    public Builder keyStore(Path file, char[] password) {
      this.keyStore = readable("tls.keyStore", file);
      this.keyStorePassword = password == null ? null : password.clone();
      return this;
    }

    public TlsOptions build() {
      if (trustedCertificates != null && trustStore != null) {
        throw new InvalidOptionException("tls.trustStore", trustStore,
            "give either trustedCertificates or trustStore, not both (tls.trustedCertificates is "
                + trustedCertificates + ")");
      }
      if (clientCertificate != null && keyStore != null) {
        throw new InvalidOptionException("tls.keyStore", keyStore,
            "give either clientCertificate or keyStore, not both (tls.clientCertificate is " + clientCertificate + ")");
      }
      return new TlsOptions(this);
    }

    private static Path readable(String field, Path file) {
      if (file == null) {
        throw new InvalidOptionException(field, null, "is required");
      }
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new InvalidOptionException(field, file, "is not a readable file");
      }
      return file;
    }
  }
}
