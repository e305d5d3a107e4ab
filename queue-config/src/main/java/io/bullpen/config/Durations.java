package io.bullpen.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Bullpen's configuration and command lines write them: {@code 250ms}, {@code 5s}, {@code 2m},
 * {@code 1h}, {@code 1d}, or ISO-8601 ({@code PT5S}).
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,15})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Reads {@code text}.
   *
   * @throws IllegalArgumentException naming the text when it is no duration
   */
  public static Duration parse(String text) {
    String t = text.trim();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("must be a duration such as \"5s\", \"250ms\", \"2m\" or \"PT5S\", was \""
          + text + "\"");
    }
  }

  /** {@code d} in the largest unit that holds it exactly: {@code 5s}, {@code 250ms}, {@code 2m}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms > 0 && ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms > 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms > 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
