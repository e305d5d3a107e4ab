package io.bullpen.console;

import java.io.PrintWriter;
import java.util.List;

/**
 * A frame of lines redrawn in place: on a terminal each {@link #show} moves the cursor back to the frame's first line
 * and draws over it (ANSI cursor-up and erase), so a progress bar and counts stay put while they change. Elsewhere
 * (a pipe, a CI log) every frame shown is appended as plain lines, so callers show frames there less often.
 *
 * <p>Not thread-safe: one thread draws.
 */
public final class LiveScreen implements AutoCloseable {
  private static final String ERASE_LINE = "\u001b[K";
  private static final String ERASE_BELOW = "\u001b[J";

  private final PrintWriter out;
  private final boolean inPlace;
  private int shownLines;

  /** Draws on {@code out}, in place when {@code inPlace} (see {@link #isTerminal()}). */
  public LiveScreen(PrintWriter out, boolean inPlace) {
    this.out = out;
    this.inPlace = inPlace;
  }

  /** Whether this process writes to a terminal (a console that is one, on JDK 22+ as well). */
  public static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // JDK 22+ returns a console also when the streams are redirected; isTerminal() tells which.
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | ClassCastException e) {
      return false;
    }
  }

  public boolean inPlace() {
    return inPlace;
  }

  /** Draws {@code lines} over the previous frame (in place) or after it. */
  public void show(List<String> lines) {
    out.print(frame(lines));
    out.flush();
  }

  /** The text {@link #show} writes for {@code lines}, given the frames shown before. */
  String frame(List<String> lines) {
    StringBuilder b = new StringBuilder();
    if (inPlace) {
      b.append('\r');
      if (shownLines > 1) {
        b.append("\u001b[").append(shownLines - 1).append('A');
      }
      b.append(ERASE_BELOW);
      for (int i = 0; i < lines.size(); i++) {
        b.append(lines.get(i)).append(ERASE_LINE);
        if (i < lines.size() - 1) {
          b.append('\n');
        }
      }
    } else {
      lines.forEach(line -> b.append(line).append('\n'));
    }
    shownLines = lines.size();
    return b.toString();
  }

  /** Ends the frame: what was shown last stays, and later output starts on a line of its own. */
  @Override
  public void close() {
    if (inPlace && shownLines > 0) {
      out.print('\n');
      out.flush();
    }
    shownLines = 0;
  }
}
