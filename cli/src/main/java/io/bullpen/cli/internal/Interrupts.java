package io.bullpen.cli.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C for long operations: a shutdown hook asks the running command to stop and waits until it has reached a
 * safe point (the batch in flight finished and recorded), so a clean, migrate or bulk add never stops half-way
 * through a batch.
 */
public final class Interrupts {
  private static final long LONGEST_WAIT_SECONDS = 60;

  private final AtomicBoolean requested = new AtomicBoolean();
  private final CountDownLatch settled = new CountDownLatch(1);
  private Thread hook;

  /** Installs the hook; {@link #close()} removes it. */
  public static Interrupts install() {
    Interrupts i = new Interrupts();
    i.hook = new Thread(() -> {
      i.requested.set(true);
      try {
        i.settled.await(LONGEST_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bullpen-ctrl-c");
    Runtime.getRuntime().addShutdownHook(i.hook);
    return i;
  }

  /** One that never fires (commands run in-process by tests). */
  public static Interrupts none() {
    return new Interrupts();
  }

  /** Whether Ctrl-C was pressed: stop at the next safe point. */
  public boolean requested() {
    return requested.get();
  }

  /** Asks the running command to stop (what Ctrl-C does). */
  public void request() {
    requested.set(true);
  }

  /** The command is at a safe point and done: the hook may let the JVM exit. */
  public void settled() {
    settled.countDown();
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running and now returns
      }
    }
  }
}
