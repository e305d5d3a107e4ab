package io.bullpen.observe;

/** The observation of one attempt, from {@link JobObserver#attemptStarting}; the worker calls it in order. */
public interface AttemptObservation {
  /** Observes nothing. */
  AttemptObservation NONE = new AttemptObservation() {};

  /**
   * Called on the processor's thread right before the processor is invoked; the scope is closed on the same thread
   * when the call returns (for an asynchronous processor: when its stage is returned, not when it completes). A
   * tracer makes the attempt's span current here, so that the processor's own spans and logs belong to it. Not
   * called for an attempt refused without running, nor for batch workers (one call runs many jobs).
   */
  default Scope enter() {
    return Scope.NONE;
  }

  /** The attempt is over and its move to the next state was written (or failed to be written). Called once. */
  default void settled(AttemptResult result) {}
}
