package io.bullpen.redis.internal.keys;

import io.bullpen.QueueNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Every Redis key name of one queue, built here and nowhere else. The layout is BullMQ 6's:
 * {@code <prefix>:<queue>:<suffix>} for queue keys and {@code <prefix>:<queue>:<jobId>} for job hashes.
 */
public final class QueueKeys {
  /** What a manual rate limit writes into {@code limiter} (2^53 - 1), so that any limiter max is reached. */
  public static final String LIMITER_SATURATED = "9007199254740991";

  private final String prefix;
  private final String queueName;
  private final String keyPrefix;
  private final List<String> workerKeys;

  public QueueKeys(String prefix, String queueName) {
    this.prefix = validatePrefix(prefix);
    this.queueName = validateQueueName(queueName);
    this.keyPrefix = prefix + ":" + queueName + ":";
    this.workerKeys = List.of(waitList(), active(), prioritized(), events(), stalled(), limiter(), delayed(), meta(),
        priorityCounter(), marker());
  }

  /**
   * KEYS[1..10] of every script that fetches or settles (includes/workerKeys.lua reads them in this order):
   * wait, active, prioritized, events, stalled, limiter, delayed, meta, pc, marker.
   */
  public List<String> workerKeys() {
    return workerKeys;
  }

  public static String validateQueueName(String name) {
    return QueueNames.requireValidName(name);
  }

  public static String validatePrefix(String prefix) {
    return QueueNames.requireValidPrefix(prefix);
  }

  public String prefix() {
    return prefix;
  }

  public String queueName() {
    return queueName;
  }

  /** {@code <prefix>:<queue>}, the name BullMQ uses for a parent's queue in flows. */
  public String qualifiedName() {
    return prefix + ":" + queueName;
  }

  /** {@code <prefix>:<queue>:}, the prefix handed to scripts that derive further keys at run time. */
  public String keyPrefix() {
    return keyPrefix;
  }

  public String key(String suffix) {
    return keyPrefix + suffix;
  }

  /** {@code de:<id>}: the id of the job that owns deduplication id {@code deduplicationId} (BullMQ 6). */
  public String deduplication(String deduplicationId) {
    return key("de:" + deduplicationId);
  }

  /** {@code bp:g:<group>:limits}, or {@code bp:groups:defaults} for a null group: a group's limits hash. */
  public String groupLimits(String groupId) {
    return groupId == null ? key("bp:groups:defaults") : key("bp:g:" + groupId + ":limits");
  }

  /** {@code bp:g:<group>:wait}: the group's jobs waiting for their turn. */
  public String groupWait(String groupId) {
    return key("bp:g:" + groupId + ":wait");
  }

  public String jobKey(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return keyPrefix + jobId;
  }

  public String lockKey(String jobId) {
    return jobKey(jobId) + ":lock";
  }

  public String logsKey(String jobId) {
    return jobKey(jobId) + ":logs";
  }

  /** A parent's children still to settle (set of full child keys). */
  public String dependenciesKey(String jobId) {
    return jobKey(jobId) + ":dependencies";
  }

  /** A parent's completed children (hash: full child key to return value JSON). */
  public String processedKey(String jobId) {
    return jobKey(jobId) + ":processed";
  }

  /** A parent's failures let through by idof/cpof (hash: full child key to failed reason). */
  public String ignoredFailuresKey(String jobId) {
    return jobKey(jobId) + ":failed";
  }

  /** A parent's children that failed with fpof (zset: full child key by failure time). */
  public String unsuccessfulKey(String jobId) {
    return jobKey(jobId) + ":unsuccessful";
  }

  /** A job named by its full key. */
  public record JobRef(QueueKeys queue, String jobId) {
    public String key() {
      return queue.jobKey(jobId);
    }
  }

  /**
   * Splits a full job key {@code <prefix>:<queue>:<id>} (neither prefix nor queue holds ':', the id may); empty
   * for anything else.
   */
  public static java.util.Optional<JobRef> parseJobKey(String jobKey) {
    if (jobKey == null) {
      return java.util.Optional.empty();
    }
    int first = jobKey.indexOf(':');
    int second = first < 0 ? -1 : jobKey.indexOf(':', first + 1);
    if (first <= 0 || second <= first + 1 || second == jobKey.length() - 1) {
      return java.util.Optional.empty();
    }
    QueueKeys keys = new QueueKeys(jobKey.substring(0, first), jobKey.substring(first + 1, second));
    return java.util.Optional.of(new JobRef(keys, jobKey.substring(second + 1)));
  }

  public String waitList() {
    return key("wait");
  }

  public String paused() {
    return key("paused");
  }

  public String active() {
    return key("active");
  }

  public String prioritized() {
    return key("prioritized");
  }

  public String priorityCounter() {
    return key("pc");
  }

  public String delayed() {
    return key("delayed");
  }

  public String waitingChildren() {
    return key("waiting-children");
  }

  public String completed() {
    return key("completed");
  }

  public String failed() {
    return key("failed");
  }

  public String marker() {
    return key("marker");
  }

  public String meta() {
    return key("meta");
  }

  public String events() {
    return key("events");
  }

  public String idCounter() {
    return key("id");
  }

  public String stalled() {
    return key("stalled");
  }

  public String stalledCheck() {
    return key("stalled-check");
  }

  public String limiter() {
    return key("limiter");
  }

  public String repeat() {
    return key("repeat");
  }

  /** The hash {@code repeat:<id>} holding a job scheduler's definition. */
  public String jobScheduler(String schedulerId) {
    return key("repeat:" + schedulerId);
  }

  public String metrics(String target) {
    return key("metrics:" + target);
  }

  /** Bullpen's own queue settings (the dead-letter queue), a hash BullMQ ignores. */
  public String config() {
    return key("bp:config");
  }

  /**
   * The publish/subscribe channel carrying cancel requests to the workers of the queue (a channel, not a key;
   * BullMQ uses none).
   */
  public String cancelChannel() {
    return key("bp:cancel");
  }

  /**
   * The throw-away key (and channel) a worker's start-up rights check writes under and deletes again; the keys
   * it uses all start with it.
   */
  public String rightsProbe() {
    return key("bp:probe");
  }

  /** The state-set key for {@code completed} or {@code failed}. */
  public String finishedSet(boolean completed) {
    return completed ? completed() : failed();
  }

  /** The client name BullMQ dashboards count as a worker: {@code <prefix>:<base64(queue)>[:w:<name>]}. */
  public String workerClientName(String workerName) {
    String base = prefix + ":" + base64(queueName);
    return workerName == null || workerName.isEmpty() ? base : base + ":w:" + workerName;
  }

  /** The client name of a QueueEvents connection: {@code <prefix>:<base64(queue)>:qe}. */
  public String queueEventsClientName() {
    return prefix + ":" + base64(queueName) + ":qe";
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return qualifiedName();
  }
}
