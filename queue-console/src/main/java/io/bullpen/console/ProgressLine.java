package io.bullpen.console;

import java.util.Locale;

/** The text of a progress bar: {@code copy [#######.......] 45% 4500/10000 1234/s ETA 4s}. */
public final class ProgressLine {
  /** Characters of the bar between the brackets. */
  public static final int WIDTH = 30;

  private ProgressLine() {}

  /**
   * The bar for {@code done} of {@code total} after {@code elapsedNanos}; with no total known ({@code total <= 0})
   * only the count and the rate. The ETA follows from the rate so far; once done (or without a rate) the elapsed time
   * is shown instead.
   */
  public static String render(String label, long done, long total, long elapsedNanos) {
    double seconds = Math.max(1e-9, elapsedNanos / 1e9);
    double rate = done / seconds;
    StringBuilder b = new StringBuilder(label).append(' ');
    if (total > 0) {
      double fraction = Math.min(1, (double) done / total);
      int filled = (int) Math.round(fraction * WIDTH);
      b.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
          .append(String.format(Locale.ROOT, "%3d%% %d/%d", (int) (fraction * 100), done, total));
    } else {
      b.append(done);
    }
    b.append(String.format(Locale.ROOT, " %.0f/s", rate));
    if (total > 0 && done < total && rate > 0) {
      b.append(" ETA ").append(duration((long) Math.ceil((total - done) / rate)));
    } else {
      b.append(" in ").append(String.format(Locale.ROOT, "%.1fs", seconds));
    }
    return b.toString();
  }

  /** Whole seconds as {@code 45s}, {@code 3m20s} or {@code 2h5m}. */
  public static String duration(long seconds) {
    return seconds >= 3600 ? seconds / 3600 + "h" + (seconds % 3600) / 60 + "m"
        : seconds >= 60 ? seconds / 60 + "m" + seconds % 60 + "s" : seconds + "s";
  }
}
