package io.bullpen.outbox.internal;

/**
 * Wakes every idle relay loop at once: each notification (and closing) starts a new generation; a loop sleeps
 * until the generation moves past the one it saw last, or its timeout.
 */
public final class Wakeup {
  private long generation;

  public synchronized void signal() {
    generation++;
    notifyAll();
  }

  public synchronized long generation() {
    return generation;
  }

  /** Waits up to {@code millis} for a signal after {@code seen}; returns the generation now current. */
  public synchronized long await(long seen, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (generation == seen) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        break;
      }
      wait(left);
    }
    return generation;
  }
}
