package io.bullpen.redis.internal.script;

import io.bullpen.BullpenException;
import io.bullpen.ClosedException;
import io.bullpen.InvalidOptionException;
import io.bullpen.QueueConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the owner of a connection (a Queue, a FlowProducer, ...) has been closed. Its calls go through
 * {@link #guard}: once closed, each one fails with {@link ClosedException} naming the owner, instead of whatever
 * the closed connection would answer (Netty's "cannot be started once stopped", Lettuce's "Connection is
 * closed").
 */
public final class OpenState {
  private final String owner;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** @param owner what the messages call the owner, e.g. {@code queue mail} */
  public OpenState(String owner) {
    this.owner = owner;
  }

  /** Marks the owner closed; true only for the first call, which should then release the connection. */
  public boolean close() {
    return closed.compareAndSet(false, true);
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** @throws ClosedException once closed */
  public void check() {
    if (closed.get()) {
      throw new ClosedException(owner);
    }
  }

  /**
   * {@code call}, refused at once when the owner is closed already, refused when it is started after a close, and
   * failing with {@link ClosedException} when Redis trouble ends it after a close.
   */
  public <T> Call<T> guard(Call<T> call) {
    check();
    return call.guarded(this::check, this::explain);
  }

  /** {@code error}, or a {@link ClosedException} when it came from the connection closing under the call. */
  public RuntimeException explain(RuntimeException error) {
    if (!closed.get() || error instanceof ClosedException || error instanceof InvalidOptionException) {
      return error;
    }
    boolean fromConnection = error instanceof QueueConnectionException || error.getClass() == BullpenException.class
        || !(error instanceof BullpenException);
    return fromConnection ? new ClosedException(owner, error) : error;
  }

  @Override
  public String toString() {
    return owner + (closed.get() ? " (closed)" : "");
  }
}
