package io.bullpen.testkit;

import java.nio.file.Path;

/**
 * A Redis of a test's own that speaks only TLS: {@code --port 0 --tls-port <free port>}, with certificates made
 * for the test ({@link TlsCertificates}), optionally requiring client certificates (mutual TLS). It runs the first
 * TLS-capable {@code redis-server} found: {@code /usr/bin/redis-server} (Debian's package), others on the
 * {@code PATH}, then the embedded one; {@link #isAvailable()} says whether there is one.
 *
 * <pre>{@code
 * assumeTrue(TlsRedis.isAvailable(), TlsRedis.unavailableReason());
 * try (TlsRedis redis = TlsRedis.builder().requireClientCertificate().start()) {
 *   RedisClient client = RedisClient.create(RedisURI.create(redis.uri()));       // rediss://127.0.0.1:<port>
 *   client.setOptions(ClientOptions.builder().sslOptions(redis.certificates().sslOptions()).build());
 *   ...
 *   redis.process().kill();
 * }
 * }</pre>
 */
public final class TlsRedis implements RunningRedis {
  private final RedisProcess process;
  private final TlsCertificates certificates;

  private TlsRedis(RedisProcess process, TlsCertificates certificates) {
    this.process = process;
    this.certificates = certificates;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether a TLS Redis can be started here: a TLS-capable {@code redis-server} and {@code openssl} exist. */
  public static boolean isAvailable() {
    return TlsBinary.find().isPresent() && TlsCertificates.canGenerate();
  }

  /** Why {@link #isAvailable()} is false (empty when it is true), for skip and failure messages. */
  public static String unavailableReason() {
    if (TlsBinary.find().isEmpty()) {
      return TlsBinary.whyNotFound();
    }
    return TlsCertificates.canGenerate() ? "" : "the openssl command is not on the PATH; it makes the certificates";
  }

  /** {@code rediss://127.0.0.1:<port>}. */
  @Override
  public String uri() {
    return process.uri();
  }

  @Override
  public String host() {
    return process.host();
  }

  /** The TLS port (the server has no plain one). */
  @Override
  public int port() {
    return process.port();
  }

  @Override
  public String source() {
    return SOURCE_EMBEDDED;
  }

  @Override
  public boolean canRestart() {
    return true;
  }

  @Override
  public void stopServer() {
    process.stopServer();
  }

  @Override
  public void startServer() {
    process.startServer();
  }

  /** The server process, to kill, freeze or restart it. */
  public RedisProcess process() {
    return process;
  }

  /** The CA, server and client certificates this server uses; valid until {@link #close()}. */
  public TlsCertificates certificates() {
    return certificates;
  }

  /** Stops the server by its pid and deletes its directory and certificates. */
  @Override
  public void close() {
    try {
      process.close();
    } finally {
      certificates.close();
    }
  }

  @Override
  public String toString() {
    return process.toString();
  }

  /** Client certificates, and any other {@code redis-server} options. */
  public static final class Builder {
    private final RedisProcess.Builder server = RedisProcess.builder();
    private boolean requireClientCertificate;

    private Builder() {}

    /** Refuses clients without a certificate signed by the CA ({@code tls-auth-clients yes}); off by default. */
    public Builder requireClientCertificate() {
      this.requireClientCertificate = true;
      return this;
    }

    /** Any other {@code redis-server} option, as {@link RedisProcess.Builder#arg}. */
    public Builder arg(String name, String value, String... moreValues) {
      server.arg(name, value, moreValues);
      return this;
    }

    /**
     * Makes the certificates, starts the server and waits until it listens.
     *
     * @throws IllegalStateException if TLS is not {@linkplain #isAvailable() available}, with the reason
     */
    public TlsRedis start() {
      Path binary = TlsBinary.find().orElseThrow(() -> new IllegalStateException(TlsBinary.whyNotFound()));
      TlsCertificates certs = TlsCertificates.generate();
      try {
        RedisProcess process = server.binary(binary, "Redis (" + binary + ")").tls()
            .arg("tls-cert-file", certs.serverCertificate().toString())
            .arg("tls-key-file", certs.serverKey().toString())
            .arg("tls-ca-cert-file", certs.caCertificate().toString())
            .arg("tls-auth-clients", requireClientCertificate ? "yes" : "no")
            .start();
        return new TlsRedis(process, certs);
      } catch (RuntimeException | Error e) {
        certs.close();
        throw e;
      }
    }
  }
}
