package io.bullpen.redis.internal.admin;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.AsyncLoop;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.Script;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A queue's dead-letter setting ({@code bp:config} field {@code dlq}, read by the finishing script) and the
 * replay of its dead letters.
 */
public final class DeadLetterStore {
  private static final int REPLAY_BATCH = 1000;

  private final QueueScripts scripts;
  private final QueueKeys keys;
  private final Clock clock;

  public DeadLetterStore(QueueScripts scripts, Clock clock) {
    this.scripts = scripts;
    this.keys = scripts.keys();
    this.clock = clock;
  }

  public Call<Void> set(String deadLetterQueue) {
    QueueKeys.validateQueueName(deadLetterQueue);
    if (deadLetterQueue.equals(keys.queueName())) {
      throw new InvalidOptionException("deadLetterQueue", deadLetterQueue, "must differ from the queue itself");
    }
    return scripts.call("setDeadLetterQueue", () -> scripts.commands().hset(keys.config(), "dlq", deadLetterQueue))
        .map(set -> null);
  }

  public Call<Void> remove() {
    return scripts.call("removeDeadLetterQueue", () -> scripts.commands().hdel(keys.config(), "dlq"))
        .map(removed -> null);
  }

  public Call<Optional<String>> get() {
    return scripts.call("getDeadLetterQueue", this::read);
  }

  /** Replays up to {@code max} dead letters of this queue; answers how many were replayed. */
  public Call<Long> replay(long max) {
    if (max <= 0) {
      throw new InvalidOptionException("max", max, "must be > 0");
    }
    return scripts.longCall("replayDeadLetters", () -> read().thenCompose(dlq -> {
      if (dlq.isEmpty()) {
        throw new InvalidOptionException("deadLetterQueue", null,
            "queue " + keys.queueName() + " has no dead-letter queue; call setQueue first");
      }
      QueueKeys dlqKeys = new QueueKeys(keys.prefix(), dlq.get());
      AtomicLong replayed = new AtomicLong();
      return AsyncLoop.whileTrue(() -> {
        long batch = Math.min(REPLAY_BATCH, max - replayed.get());
        return scripts.run(Script.REPLAY_DEAD_LETTERS,
            List.of(dlqKeys.failed(), keys.waitList(), keys.meta(), keys.active(), keys.marker(), keys.events(),
                keys.failed(), keys.prioritized(), keys.priorityCounter()),
            List.of(dlqKeys.keyPrefix(), keys.keyPrefix(), Long.toString(batch), Long.toString(clock.millis())))
            .thenApply(reply -> {
              long done = QueueScripts.number(QueueScripts.list(reply, "replayDeadLetters").get(0),
                  "replayDeadLetters");
              replayed.addAndGet(done);
              return done == batch && replayed.get() < max;
            });
      }).thenApply(done -> replayed.get());
    }));
  }

  private CompletableFuture<Optional<String>> read() {
    return scripts.commands().hget(keys.config(), "dlq").toCompletableFuture().thenApply(Optional::ofNullable);
  }
}
