package io.bullpen.redis;

import io.bullpen.redis.internal.admin.DeadLetterStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A queue's dead letters ({@code queue.deadLetters()}, Bullpen's extension): the queue (same prefix) that
 * receives a copy of every job of this queue that fails for good on a Java worker (attempts exhausted,
 * unrecoverable, stalled too often; not cancelled), and the replay of those copies. The copy sits in the
 * dead-letter queue's {@code failed} set with the job's data, options, attempts, stack traces and log, plus
 * {@code dlsrc} (this queue), {@code dlid} (the job id), {@code dlreason} and {@code dlat}; Node workers do not copy.
 *
 * <pre>{@code
 * queue.deadLetters().setQueue("payments-dead");
 * long replayed = queue.deadLetters().replay();
 * }</pre>
 */
public final class DeadLetters {
  private final QueueOperations ops;
  private final DeadLetterStore store;

  DeadLetters(QueueOperations ops) {
    this.ops = ops;
    this.store = new DeadLetterStore(ops.scripts, ops.options.clock());
  }

  /** Names the dead-letter queue (stored in the queue's {@code bp:config}); it must differ from this queue. */
  public void setQueue(String deadLetterQueue) {
    ops.guard(store.set(deadLetterQueue)).join();
  }

  /** As {@link #setQueue}, without blocking. */
  public CompletableFuture<Void> setQueueAsync(String deadLetterQueue) {
    return ops.guard(store.set(deadLetterQueue)).async();
  }

  /** The dead-letter queue's name, if one is set. */
  public Optional<String> getQueue() {
    return ops.guard(store.get()).join();
  }

  /** As {@link #getQueue}, without blocking. */
  public CompletableFuture<Optional<String>> getQueueAsync() {
    return ops.guard(store.get()).async();
  }

  /** Stops copying failed jobs; copies made already stay. */
  public void removeQueue() {
    ops.guard(store.remove()).join();
  }

  /** As {@link #removeQueue}, without blocking. */
  public CompletableFuture<Void> removeQueueAsync() {
    return ops.guard(store.remove()).async();
  }

  /** Replays every dead letter of this queue; returns how many were replayed. */
  public long replay() {
    return ops.guard(store.replay(Long.MAX_VALUE)).join();
  }

  /** As {@link #replay()}, without blocking. */
  public CompletableFuture<Long> replayAsync() {
    return ops.guard(store.replay(Long.MAX_VALUE)).async();
  }

  /**
   * Moves this queue's dead letters back, oldest first, at most {@code max}: a job still in {@code failed} goes
   * back to wait with its attempt counters reset; a job since removed is created again under its id. The copies
   * are deleted. Returns how many were replayed.
   *
   * @throws io.bullpen.InvalidOptionException when no dead-letter queue is set (the future fails with it)
   */
  public long replay(long max) {
    return ops.guard(store.replay(max)).join();
  }

  /** As {@link #replay(long)}, without blocking. */
  public CompletableFuture<Long> replayAsync(long max) {
    return ops.guard(store.replay(max)).async();
  }
}
