package io.bullpen.outbox;

import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.QueueNames;
import io.bullpen.StoredText;

/**
 * One job to write into the outbox: its queue, name, data (any value the outbox's Jackson mapper can write, a
 * {@link io.bullpen.redis.RawJson} for JSON text, null for {@code {}}), options, and an optional ordering key.
 * Checked when made, so a bad job fails inside the caller's transaction, before anything is written.
 *
 * <p>Jobs sharing an ordering key reach their queue in the order they were enqueued (a transaction that
 * committed before another enqueued comes first), also with several relays; jobs of different keys, or without
 * one, go in parallel. The options may not carry a {@code deduplication} rule or a {@code parent}: the relay
 * deduplicates on the row itself (see docs/outbox.md), and BullMQ allows no deduplication on flow children.
 */
public record OutboxJob(String queue, String name, Object data, JobOptions options, String orderingKey) {
  /** Longest ordering key accepted, in characters. */
  public static final int MAX_ORDERING_KEY_LENGTH = 512;

  public OutboxJob {
    QueueNames.requireValidName(queue);
    if (name == null) {
      throw new InvalidOptionException("name", null, "a job name is required");
    }
    StoredText.requireWellFormed("name", name);
    options = options == null ? JobOptions.defaults() : options;
    if (options.deduplication().isPresent()) {
      throw new InvalidOptionException("options.deduplication", options.deduplication().get().id(),
          "the outbox relay deduplicates every row on its own key; an outbox job cannot carry another rule");
    }
    if (options.parent().isPresent()) {
      throw new InvalidOptionException("options.parent", options.parent().get().id(),
          "flow children cannot be relayed exactly once (BullMQ allows no deduplication on them); "
              + "enqueue the parent's work and add children from its processor or a FlowProducer");
    }
    if (orderingKey != null) {
      if (orderingKey.isEmpty() || orderingKey.length() > MAX_ORDERING_KEY_LENGTH) {
        throw new InvalidOptionException("orderingKey", orderingKey,
            "must be 1 to " + MAX_ORDERING_KEY_LENGTH + " characters (or null for none)");
      }
      StoredText.requireWellFormed("orderingKey", orderingKey);
    }
  }

  /** A job with no options of its own (the queue's defaults apply) and no ordering key. */
  public static OutboxJob of(String queue, String name, Object data) {
    return new OutboxJob(queue, name, data, null, null);
  }

  public static OutboxJob of(String queue, String name, Object data, JobOptions options) {
    return new OutboxJob(queue, name, data, options, null);
  }

  /** This job with {@code options} (null for the queue's defaults). */
  public OutboxJob withOptions(JobOptions options) {
    return new OutboxJob(queue, name, data, options, orderingKey);
  }

  /** This job, relayed in order with the other jobs of {@code key}. */
  public OutboxJob withOrderingKey(String key) {
    if (key == null) {
      throw new InvalidOptionException("orderingKey", null, "must not be null (use a job without one)");
    }
    return new OutboxJob(queue, name, data, options, key);
  }
}
