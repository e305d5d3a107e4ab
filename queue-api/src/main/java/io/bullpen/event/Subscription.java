package io.bullpen.event;

/** A registered listener; {@link #close()} removes it. Closing twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  /** Stops delivering events to the listener. Events already being delivered may still arrive once. */
  @Override
  void close();
}
