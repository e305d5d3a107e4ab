package io.bullpen.cli.internal;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar for long operations, on stderr: done/total, rate and ETA, redrawn in place ({@code \r}) at most
 * five times a second on a terminal; off the terminal (pipes, CI, {@code --json}) only the final line is printed.
 */
public final class Progress implements AutoCloseable {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final String label;
  private final PrintWriter err;
  private final boolean inPlace;
  private final LongSupplier nanoTime;
  private final long start;
  private long total;
  private long done;
  private long lastDraw;

  public Progress(String label, long total, PrintWriter err, boolean inPlace) {
    this(label, total, err, inPlace, System::nanoTime);
  }

  Progress(String label, long total, PrintWriter err, boolean inPlace, LongSupplier nanoTime) {
    this.label = label;
    this.total = total;
    this.err = err;
    this.inPlace = inPlace;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
    this.lastDraw = start - REDRAW_NANOS;
  }

  /** Adds {@code n} to the work done and redraws when due. */
  public void advance(long n) {
    done += n;
    long now = nanoTime.getAsLong();
    if (inPlace && now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      err.print("\r" + line(now) + "\u001b[K");
      err.flush();
    }
  }

  /** The total, when it becomes known or grows. */
  public void total(long total) {
    this.total = total;
  }

  public long done() {
    return done;
  }

  /** The bar as drawn now, e.g. {@code copy [#######.......] 45% 4500/10000 1234/s ETA 4s}. */
  String line(long now) {
    double seconds = Math.max(1e-9, (now - start) / 1e9);
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
      b.append(" ETA ").append(duration((long) ((total - done) / rate)));
    } else {
      b.append(" in ").append(String.format(Locale.ROOT, "%.1fs", seconds));
    }
    return b.toString();
  }

  static String duration(long seconds) {
    return seconds >= 3600 ? seconds / 3600 + "h" + (seconds % 3600) / 60 + "m"
        : seconds >= 60 ? seconds / 60 + "m" + seconds % 60 + "s" : seconds + "s";
  }

  /** Prints the final line. */
  @Override
  public void close() {
    err.print((inPlace ? "\r" : "") + line(nanoTime.getAsLong()) + (inPlace ? "\u001b[K" : "") + "\n");
    err.flush();
  }
}
