package io.bullpen.redis.internal.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Bullpen's own version, filled into {@code bullpen.properties} by Maven from the project version. */
public final class LibraryVersion {
  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static final String VERSION = load();

  private LibraryVersion() {}

  /** The value written to a queue's meta {@code version} field: {@code bullpen:<version>}. */
  public static String metaVersion() {
    return "bullpen:" + VERSION;
  }

  private static String load() {
    try (InputStream in = LibraryVersion.class.getResourceAsStream("/io/bullpen/redis/bullpen.properties")) {
      if (in == null) {
        throw new IllegalStateException("missing resource /io/bullpen/redis/bullpen.properties");
      }
      Properties props = new Properties();
      props.load(in);
      String version = props.getProperty("version");
      if (version == null || version.isBlank() || version.contains("${")) {
        throw new IllegalStateException("bullpen.properties was not filtered by the build: version=" + version);
      }
      return version.trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bullpen.properties", e);
    }
  }
}
