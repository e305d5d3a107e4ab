package io.bullpen.redis.internal.admin;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.Script;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A queue's dead-letter setting ({@code bp:config} field {@code dlq}, read by the finishing script) and the
 * replay of its dead letters.
 */
public final class DeadLetters {
  private static final int REPLAY_BATCH = 1000;

  private final QueueScripts scripts;
  private final QueueKeys keys;
  private final Clock clock;

  public DeadLetters(QueueScripts scripts, Clock clock) {
    this.scripts = scripts;
    this.keys = scripts.keys();
    this.clock = clock;
  }

  public void set(String deadLetterQueue) {
    QueueKeys.validateQueueName(deadLetterQueue);
    if (deadLetterQueue.equals(keys.queueName())) {
      throw new InvalidOptionException("deadLetterQueue", deadLetterQueue, "must differ from the queue itself");
    }
    scripts.await(scripts.runner().commands().hset(keys.config(), "dlq", deadLetterQueue), "HSET bp:config dlq");
  }

  public void remove() {
    scripts.await(scripts.runner().commands().hdel(keys.config(), "dlq"), "HDEL bp:config dlq");
  }

  public Optional<String> get() {
    return Optional.ofNullable(scripts.await(scripts.runner().commands().hget(keys.config(), "dlq"),
        "HGET bp:config dlq"));
  }

  /** Replays up to {@code max} dead letters of this queue; returns how many were replayed. */
  public long replay(long max) {
    if (max <= 0) {
      throw new InvalidOptionException("max", max, "must be > 0");
    }
    String dlq = get().orElseThrow(() -> new InvalidOptionException("deadLetterQueue", null,
        "queue " + keys.queueName() + " has no dead-letter queue; call setDeadLetterQueue first"));
    QueueKeys dlqKeys = new QueueKeys(keys.prefix(), dlq);
    long replayed = 0;
    while (replayed < max) {
      long batch = Math.min(REPLAY_BATCH, max - replayed);
      List<Object> reply = QueueScripts.list(scripts.run(Script.REPLAY_DEAD_LETTERS,
          List.of(dlqKeys.failed(), keys.waitList(), keys.meta(), keys.active(), keys.marker(), keys.events(),
              keys.failed(), keys.prioritized(), keys.priorityCounter()),
          List.of(dlqKeys.keyPrefix(), keys.keyPrefix(), Long.toString(batch), Long.toString(clock.millis()))),
          "replayDeadLetters");
      long done = QueueScripts.number(reply.get(0), "replayDeadLetters");
      replayed += done;
      if (done < batch) {
        break;
      }
    }
    return replayed;
  }
}
