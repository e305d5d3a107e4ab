package io.bullpen.testkit;

import java.time.Duration;

/** Polls a condition until it holds or a deadline passes; the topologies wait on their servers this way. */
final class Await {
  private static final Duration INTERVAL = Duration.ofMillis(100);

  private Await() {}

  /** A condition to poll: returns its result once it holds, or throws {@link NotYet} saying what is missing. */
  @FunctionalInterface
  interface Probe<T> {
    T poll() throws NotYet;
  }

  /** The condition does not hold yet; the message says why, for the timeout's message. */
  static final class NotYet extends Exception {
    private static final long serialVersionUID = 1L;

    NotYet(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * Polls {@code probe} every 100 ms until it returns a value, for at most {@code timeout}. A runtime exception
   * from the probe (a node that is still down, a refused connection) counts as "not yet".
   *
   * @throws IllegalStateException after {@code timeout}, naming {@code what} and the last reason it was not met
   */
  static <T> T until(Duration timeout, String what, Probe<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastWhy = "never checked";
    while (true) {
      try {
        return probe.poll();
      } catch (NotYet notYet) {
        lastWhy = notYet.getMessage();
      } catch (RuntimeException e) {
        lastWhy = e.toString();
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException(
            what + " did not happen within " + timeout.toMillis() + " ms; last: " + lastWhy);
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting until " + what, e);
      }
    }
  }
}
