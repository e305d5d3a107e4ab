package io.bullpen.testkit;

import io.lettuce.core.SslOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Certificates made for one test run in a temp directory: a CA, a server certificate for {@code 127.0.0.1} and
 * {@code localhost}, and a client certificate for mutual TLS, all signed by that CA and valid for two days. Each
 * comes as PEM files (for {@code redis-server} and netty) and as PKCS#12 stores (for JDK clients):
 *
 * <pre>{@code
 * SslOptions ssl = SslOptions.builder().jdkSslProvider()
 *     .truststore(certs.trustStore().toFile(), certs.storePassword())   // or trustManager(caCertificate() as File)
 *     .keystore(certs.clientKeyStore().toFile(), certs.storePassword().toCharArray())
 *     .build();                                                           // the same as certs.sslOptions()
 * }</pre>
 *
 * <p>Made with the {@code openssl} command line: the JDK has no public API to sign a certificate, {@code keytool}
 * would need a JVM start per step (seconds) and no PEM private keys, and BouncyCastle's certificate builder is
 * not a dependency. The stores are then written with the JDK's {@code KeyStore}. Keys are EC P-256, which
 * OpenSSL, netty and the JDK all take. Closing deletes the directory.
 */
public final class TlsCertificates implements AutoCloseable {
  private static final String STORE_PASSWORD = "bullpen-test";
  private static final String OPENSSL_CONFIG = String.join("\n",
      "[req]",
      "distinguished_name = dn",
      "prompt = no",
      "[dn]",
      "CN = unused",
      "[ca_ext]",
      "basicConstraints = critical, CA:true",
      "keyUsage = critical, keyCertSign, cRLSign",
      "subjectKeyIdentifier = hash",
      "[server_ext]",
      "basicConstraints = critical, CA:false",
      "keyUsage = critical, digitalSignature",
      "extendedKeyUsage = serverAuth",
      "subjectAltName = IP:127.0.0.1, DNS:localhost",
      "authorityKeyIdentifier = keyid",
      "[client_ext]",
      "basicConstraints = critical, CA:false",
      "keyUsage = critical, digitalSignature",
      "extendedKeyUsage = clientAuth",
      "authorityKeyIdentifier = keyid",
      "");

  private final Path dir;

  private TlsCertificates(Path dir) {
    this.dir = dir;
  }

  /** Whether certificates can be made here: the {@code openssl} command is on the {@code PATH}. */
  public static boolean canGenerate() {
    return openssl().isPresent();
  }

  /**
   * Makes a new CA with its server and client certificates (in about 0.1 s).
   *
   * @throws IllegalStateException if {@code openssl} is missing or fails
   */
  public static TlsCertificates generate() {
    Path openssl = openssl().orElseThrow(() -> new IllegalStateException(
        "the openssl command is not on the PATH; it makes the test certificates (on Debian: apt-get install openssl)"));
    Path dir;
    try {
      dir = Files.createTempDirectory("bullpen-tls-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory for certificates", e);
    }
    TlsCertificates certs = new TlsCertificates(dir);
    try {
      certs.make(openssl);
      return certs;
    } catch (RuntimeException | Error e) {
      certs.close();
      throw e;
    }
  }

  /** The CA certificate (PEM) that signed the others: what a client trusts. */
  public Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  /** The server certificate (PEM), for {@code 127.0.0.1} and {@code localhost}. */
  public Path serverCertificate() {
    return dir.resolve("server.crt");
  }

  /** The server's private key (unencrypted PKCS#8 PEM). */
  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /** The client certificate (PEM), for servers that require one ({@code tls-auth-clients yes}). */
  public Path clientCertificate() {
    return dir.resolve("client.crt");
  }

  /** The client's private key (unencrypted PKCS#8 PEM). */
  public Path clientKey() {
    return dir.resolve("client.key");
  }

  /** A PKCS#12 trust store holding the CA certificate, with {@link #storePassword()}. */
  public Path trustStore() {
    return dir.resolve("truststore.p12");
  }

  /** A PKCS#12 key store holding the client key with its certificate chain, with {@link #storePassword()}. */
  public Path clientKeyStore() {
    return dir.resolve("client.p12");
  }

  /** The password of both PKCS#12 stores (and of the client key in its store): a fixed test value. */
  public String storePassword() {
    return STORE_PASSWORD;
  }

  /** Lettuce options trusting this CA and presenting the client certificate (which servers may ignore). */
  public SslOptions sslOptions() {
    return SslOptions.builder().jdkSslProvider()
        .truststore(trustStore().toFile(), STORE_PASSWORD)
        .keystore(clientKeyStore().toFile(), STORE_PASSWORD.toCharArray())
        .build();
  }

  /** Deletes the certificates and keys. */
  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // Best effort: a leftover temp directory is harmless.
    }
  }

  @Override
  public String toString() {
    return "test certificates in " + dir;
  }

  private void make(Path openssl) {
    Path config = dir.resolve("openssl.cnf");
    write(config, OPENSSL_CONFIG.getBytes(StandardCharsets.UTF_8));
    String cnf = config.toString();
    run(openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key");
    run(openssl, "req", "-new", "-x509", "-config", cnf, "-key", "ca.key", "-subj", "/CN=Bullpen test CA",
        "-days", "2", "-sha256", "-extensions", "ca_ext", "-out", "ca.crt");
    issue(openssl, cnf, "server", "/CN=localhost");
    issue(openssl, cnf, "client", "/CN=bullpen-test-client");
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      Certificate ca = readCertificate(x509, caCertificate());
      KeyStore trust = emptyStore();
      trust.setCertificateEntry("ca", ca);
      store(trust, trustStore());
      KeyStore client = emptyStore();
      client.setKeyEntry("client", readKey(clientKey()), STORE_PASSWORD.toCharArray(),
          new Certificate[] {readCertificate(x509, clientCertificate()), ca});
      store(client, clientKeyStore());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot write the PKCS#12 stores in " + dir, e);
    }
  }

  /** A key and a certificate signed by the CA, with the extensions of section {@code <name>_ext}. */
  private void issue(Path openssl, String cnf, String name, String subject) {
    run(openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
    run(openssl, "req", "-new", "-config", cnf, "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
    // A random serial, so certificates of different runs never look like the same one to a client's cache.
    String serial = "0x" + new java.math.BigInteger(63, new SecureRandom()).toString(16);
    run(openssl, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", serial,
        "-days", "2", "-sha256", "-extfile", cnf, "-extensions", name + "_ext", "-out", name + ".crt");
  }

  private void run(Path openssl, String... args) {
    List<String> command = new ArrayList<>();
    command.add(openssl.toString());
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process process = null;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(Redirect.to(log.toFile())).start();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n"
            + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + openssl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running openssl", e);
    } finally {
      Processes.stop(process, java.time.Duration.ofSeconds(1));
    }
  }

  private static Optional<Path> openssl() {
    return Executables.first("openssl", Path.of("/usr/bin/openssl"));
  }

  private static Certificate readCertificate(CertificateFactory x509, Path pem) throws IOException,
      GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return x509.generateCertificate(in);
    }
  }

  /** Reads an unencrypted PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}), as {@code openssl genpkey} writes it. */
  private static PrivateKey readKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static void store(KeyStore store, Path file) throws GeneralSecurityException, IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, STORE_PASSWORD.toCharArray());
    }
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
