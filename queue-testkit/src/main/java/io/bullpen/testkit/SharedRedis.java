package io.bullpen.testkit;

import java.util.function.Supplier;

/**
 * One lazily started Redis, shared by everything in the JVM, stopped when the last JUnit run using it ends.
 *
 * <p>JUnit runs hold leases; the server stops when the last lease is released, and the next request starts a
 * fresh one. Reference counting matters because launcher sessions can nest (the suite engine, or a test that
 * runs the launcher itself), and the inner one ending must not stop a server the outer one still uses. Plain
 * {@link #get()} callers hold no lease: for them the server's own shutdown hook does the stopping.
 */
final class SharedRedis {
  private final Supplier<RunningRedis> starter;
  private RunningRedis current; // guarded by this
  private int leases; // guarded by this

  SharedRedis(Supplier<RunningRedis> starter) {
    this.starter = starter;
  }

  /** The shared server, started if there is none. */
  synchronized RunningRedis get() {
    if (current == null) {
      current = starter.get();
    }
    return current;
  }

  /** The shared server, counted as in use until {@link #release(RunningRedis)}. */
  synchronized RunningRedis acquire() {
    RunningRedis redis = get();
    leases++;
    return redis;
  }

  /** Gives back a lease from {@link #acquire()}; the last one stops the server. */
  synchronized void release(RunningRedis redis) {
    if (redis != current || leases == 0) {
      return; // not the server we are counting for (already stopped and replaced)
    }
    leases--;
    if (leases == 0) {
      current = null;
      redis.close();
    }
  }

  /** Number of outstanding leases, for tests. */
  synchronized int leases() {
    return leases;
  }
}
