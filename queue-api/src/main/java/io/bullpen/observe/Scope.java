package io.bullpen.observe;

/** What {@link AttemptObservation#enter()} made current, undone by {@link #close()}. */
@FunctionalInterface
public interface Scope extends AutoCloseable {
  /** Makes nothing current. */
  Scope NONE = () -> {};

  /** Restores what was current before; never throws. */
  @Override
  void close();
}
