package io.bullpen.cli.internal;

import io.bullpen.console.ProgressLine;
import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * A progress bar for long operations, on stderr: done/total, rate and ETA, redrawn in place ({@code \r}) at most
 * five times a second on a terminal; off the terminal (pipes, CI, {@code --json}) only the final line is printed.
 */
public final class Progress implements AutoCloseable {
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
    return ProgressLine.render(label, done, total, now - start);
  }

  /** Prints the final line. */
  @Override
  public void close() {
    err.print((inPlace ? "\r" : "") + line(nanoTime.getAsLong()) + (inPlace ? "\u001b[K" : "") + "\n");
    err.flush();
  }
}
