package io.bullpen.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The {@code redis-server} executable shipped as a resource inside {@code org.signal:embedded-redis}. We only use
 * the binary from that jar, not its Java API, so that we own the process (its pid, its port, its shutdown).
 */
final class RedisBinary {
  /** Redis version of the binaries in embedded-redis 0.9.1. */
  static final String VERSION = "7.0.15";

  private static Path extracted; // guarded by RedisBinary.class

  private RedisBinary() {}

  /** Name of the resource for this machine, e.g. {@code redis-server-7.0.15-linux-amd64}. */
  static String resourceName(String osName, String osArch) {
    return "redis-server-" + VERSION + "-" + os(osName) + "-" + arch(osArch);
  }

  private static String os(String osName) {
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.contains("linux")) {
      return "linux";
    }
    if (os.contains("mac") || os.contains("darwin")) {
      return "darwin";
    }
    throw new IllegalStateException("no embedded redis-server for OS '" + osName
        + "'; set REDIS_URL to a Redis you own, or run a Docker engine");
  }

  private static String arch(String osArch) {
    switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64":
      case "x86_64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      case "x86":
      case "i386":
      case "i486":
      case "i586":
      case "i686":
        return "386";
      default:
        throw new IllegalStateException("no embedded redis-server for CPU '" + osArch
            + "'; set REDIS_URL to a Redis you own, or run a Docker engine");
    }
  }

  /** Extracts the binary for this machine to a temp file once per JVM and returns its path. */
  static synchronized Path executable() {
    if (extracted != null && Files.isExecutable(extracted)) {
      return extracted;
    }
    String name = resourceName(System.getProperty("os.name"), System.getProperty("os.arch"));
    try (InputStream in = openResource(name)) {
      Path dir = Files.createTempDirectory("bullpen-redis-bin-");
      Path file = dir.resolve(name);
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      if (!file.toFile().setExecutable(true, true)) {
        throw new IllegalStateException("cannot make " + file + " executable");
      }
      // Deleted after the shutdown hooks that kill the servers have run; Linux allows deleting a running binary.
      dir.toFile().deleteOnExit();
      file.toFile().deleteOnExit();
      extracted = file;
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + name, e);
    }
  }

  private static InputStream openResource(String name) {
    ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(), RedisBinary.class.getClassLoader()};
    for (ClassLoader loader : loaders) {
      if (loader != null) {
        InputStream in = loader.getResourceAsStream(name);
        if (in != null) {
          return in;
        }
      }
    }
    throw new IllegalStateException("resource " + name + " not found; is org.signal:embedded-redis on the classpath?");
  }
}
