package io.bullpen.cli.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Epoch milliseconds as people read them. */
final class Times {
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private Times() {}

  static String iso(long epochMillis) {
    return ISO.format(Instant.ofEpochMilli(epochMillis));
  }
}
