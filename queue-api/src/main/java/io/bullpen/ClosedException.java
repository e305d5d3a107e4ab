package io.bullpen;

/**
 * The object was closed (a {@code Queue}, {@code FlowProducer}, {@code QueueEvents}, {@code QueueScheduler}, or
 * a job read through a closed one): it no longer talks to Redis. Thrown by every call made after
 * {@code close()}, blocking or async, and by calls that were in flight when it closed; a closed worker throws it
 * from {@code run()}.
 */
public class ClosedException extends BullpenException {
  private static final long serialVersionUID = 1L;

  /** @param what the closed object, e.g. {@code queue mail}; the message reads "queue mail is closed" */
  public ClosedException(String what) {
    super(what + " is closed");
  }

  public ClosedException(String what, Throwable cause) {
    super(what + " is closed", cause);
  }
}
