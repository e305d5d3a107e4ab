package io.bullpen;

/**
 * The parent of a flow child, as BullMQ's {@code parent} option names it: the parent's job id and the qualified
 * name of its queue, {@code <prefix>:<queue>} (for example {@code bull:books}).
 */
public record JobParent(String id, String queue) {
  /** Checks both parts; the queue must be {@code <prefix>:<queue>} with neither part empty nor holding ':'. */
  public JobParent {
    if (id == null || id.isEmpty()) {
      throw new InvalidOptionException("parent.id", id, "must be a non-empty job id");
    }
    if (queue == null || !queue.matches("[^:]+:[^:]+")) {
      throw new InvalidOptionException("parent.queue", queue,
          "must be the qualified queue name <prefix>:<queue>, e.g. bull:books");
    }
    StoredText.requireWellFormed("parent.id", id);
    StoredText.requireWellFormed("parent.queue", queue);
  }

  /** The parent of a job in the queue named {@code queueName} under {@code prefix}. */
  public static JobParent of(String prefix, String queueName, String id) {
    return new JobParent(id, prefix + ":" + queueName);
  }

  /** The parent job's full key, {@code <prefix>:<queue>:<id>}, as children store it in {@code parentKey}. */
  public String key() {
    return queue + ":" + id;
  }
}
