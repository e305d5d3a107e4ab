package io.bullpen.redis.internal.keys;

import io.bullpen.InvalidOptionException;
import io.bullpen.QueueNames;
import io.bullpen.StoredText;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Every Redis key name of one queue, built here and nowhere else. The layout is BullMQ 6's:
 * {@code <prefix>:<queue>:<suffix>} for queue keys and {@code <prefix>:<queue>:<jobId>} for job hashes.
 */
public final class QueueKeys {
  /** What a manual rate limit writes into {@code limiter} (2^53 - 1), so that any limiter max is reached. */
  public static final String LIMITER_SATURATED = "9007199254740991";

  private static final String WAIT = "wait";
  private static final String PAUSED = "paused";
  private static final String ACTIVE = "active";
  private static final String PRIORITIZED = "prioritized";
  private static final String PRIORITY_COUNTER = "pc";
  private static final String DELAYED = "delayed";
  private static final String WAITING_CHILDREN = "waiting-children";
  private static final String COMPLETED = "completed";
  private static final String FAILED = "failed";
  private static final String MARKER = "marker";
  private static final String META = "meta";
  private static final String EVENTS = "events";
  private static final String ID_COUNTER = "id";
  private static final String STALLED = "stalled";
  private static final String STALLED_CHECK = "stalled-check";
  private static final String LIMITER = "limiter";
  private static final String REPEAT = "repeat";
  /** {@code de:<id>}: deduplication owners. */
  private static final String DEDUPLICATION = "de";
  /** {@code dn:<id>}: the next job kept by keepLastIfActive deduplication (written by the scripts). */
  private static final String DEDUPLICATION_NEXT = "dn";
  private static final String METRICS = "metrics";
  /** {@code bp:...}: every key of Bullpen's own extensions (groups, capabilities, config, cancel channel). */
  private static final String BULLPEN = "bp";

  /**
   * Every suffix that is a whole queue key: the keys above, and BullMQ 3's {@code priority} and {@code delay},
   * which BullMQ still deletes. A job id equal to one would put the job's hash at the queue's own key.
   */
  private static final Set<String> QUEUE_KEY_SUFFIXES = Set.of(WAIT, PAUSED, ACTIVE, PRIORITIZED, PRIORITY_COUNTER,
      DELAYED, WAITING_CHILDREN, COMPLETED, FAILED, MARKER, META, EVENTS, ID_COUNTER, STALLED, STALLED_CHECK, LIMITER,
      REPEAT, "priority", "delay");

  /** The first parts of key families {@code <family>:<more>}: no job id may start with one and a ':'. */
  private static final Set<String> KEY_FAMILIES = Set.of(DEDUPLICATION, DEDUPLICATION_NEXT, METRICS, BULLPEN);

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

  /**
   * Returns {@code id} when it can name a job: not empty, well-formed ({@link StoredText}), with a {@code ':'}
   * only in the three-part form {@code a:b:c} (BullMQ's custom ids and {@code repeat:<scheduler>:<millis>}), and
   * not one of the queue's own keys ({@link #reservedJobIdProblem}). Checked for every id a caller hands in,
   * before anything is sent; a job added with such an id would be written over a queue key.
   *
   * @throws InvalidOptionException naming {@code field} otherwise
   */
  public static String requireJobId(String field, String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidOptionException(field, id, "must be a non-empty job id");
    }
    String reserved = reservedJobIdProblem(id);
    if (reserved != null) {
      throw new InvalidOptionException(field, id, reserved);
    }
    if (id.indexOf(':') >= 0 && id.split(":", -1).length != 3) {
      throw new InvalidOptionException(field, id,
          "no job has this id: a job id holds ':' only in the three-part form a:b:c");
    }
    return StoredText.requireWellFormed(field, id);
  }

  /**
   * Why {@code id} cannot be a job id because the job's key {@code <prefix>:<queue>:<id>} is, or may become, a key
   * of the queue itself (a suffix such as {@code meta} or {@code wait}, or a key family such as
   * {@code de:<id>}, {@code metrics:...} or Bullpen's {@code bp:...}); null when it is free.
   */
  public static String reservedJobIdProblem(String id) {
    if (QUEUE_KEY_SUFFIXES.contains(id)) {
      return "is the name of the queue's own key <prefix>:<queue>:" + id + ", so a job cannot use it";
    }
    int colon = id.indexOf(':');
    if (colon > 0 && KEY_FAMILIES.contains(id.substring(0, colon))) {
      return "starts with \"" + id.substring(0, colon + 1) + "\", which names the queue's own keys, so a job "
          + "cannot use it";
    }
    return null;
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

  /**
   * Whether every key of this queue hashes to one Redis Cluster slot: {@code <prefix>:<queue>:} holds a hash tag,
   * a '{' followed later by a '}' with something between them (Redis Cluster then hashes only that text), so no
   * suffix (a job id, {@code wait}, ...) can change the slot.
   */
  public boolean hasHashTag() {
    int open = keyPrefix.indexOf('{');
    int close = open < 0 ? -1 : keyPrefix.indexOf('}', open + 1);
    return close > open + 1;
  }

  /** The Redis Cluster slot of every key of this queue; meaningful when {@link #hasHashTag()}. */
  public int slot() {
    return SlotHash.getSlot(keyPrefix);
  }

  /**
   * For a Redis Cluster, where a script may only touch keys of one slot: throws unless every key of this queue
   * lives in one slot, saying how to get there.
   */
  public void requireOneSlot() {
    if (!hasHashTag()) {
      throw new InvalidOptionException("prefix", prefix, "on a Redis Cluster all keys of queue '" + queueName
          + "' must hash to one slot, and '" + prefix + ":" + queueName + "' holds no hash tag: use a prefix such as '{"
          + prefix + "}' (queues sharing it share a slot, as flows across queues need) or a queue name such as '{"
          + queueName + "}', as BullMQ does on a cluster");
    }
  }

  /** {@code <prefix>:<queue>:}, the prefix handed to scripts that derive further keys at run time. */
  public String keyPrefix() {
    return keyPrefix;
  }

  private String key(String suffix) {
    return keyPrefix + suffix;
  }

  /** {@code de:<id>}: the id of the job that owns deduplication id {@code deduplicationId} (BullMQ 6). */
  public String deduplication(String deduplicationId) {
    return key(DEDUPLICATION + ":" + deduplicationId);
  }

  /** {@code bp:g:<group>:limits}, or {@code bp:groups:defaults} for a null group: a group's limits hash. */
  public String groupLimits(String groupId) {
    return groupId == null ? key(BULLPEN + ":groups:defaults") : key(BULLPEN + ":g:" + groupId + ":limits");
  }

  /** {@code bp:g:<group>:wait}: the group's jobs waiting for their turn. */
  public String groupWait(String groupId) {
    return key(BULLPEN + ":g:" + groupId + ":wait");
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
    return key(WAIT);
  }

  public String paused() {
    return key(PAUSED);
  }

  public String active() {
    return key(ACTIVE);
  }

  public String prioritized() {
    return key(PRIORITIZED);
  }

  public String priorityCounter() {
    return key(PRIORITY_COUNTER);
  }

  public String delayed() {
    return key(DELAYED);
  }

  public String waitingChildren() {
    return key(WAITING_CHILDREN);
  }

  public String completed() {
    return key(COMPLETED);
  }

  public String failed() {
    return key(FAILED);
  }

  public String marker() {
    return key(MARKER);
  }

  public String meta() {
    return key(META);
  }

  public String events() {
    return key(EVENTS);
  }

  public String idCounter() {
    return key(ID_COUNTER);
  }

  public String stalled() {
    return key(STALLED);
  }

  public String stalledCheck() {
    return key(STALLED_CHECK);
  }

  public String limiter() {
    return key(LIMITER);
  }

  public String repeat() {
    return key(REPEAT);
  }

  /** The hash {@code repeat:<id>} holding a job scheduler's definition. */
  public String jobScheduler(String schedulerId) {
    return key(REPEAT + ":" + schedulerId);
  }

  public String metrics(String target) {
    return key(METRICS + ":" + target);
  }

  /** Bullpen's own queue settings (the dead-letter queue), a hash BullMQ ignores. */
  public String config() {
    return key(BULLPEN + ":config");
  }

  /**
   * The publish/subscribe channel carrying cancel requests to the workers of the queue (a channel, not a key;
   * BullMQ uses none).
   */
  public String cancelChannel() {
    return key(BULLPEN + ":cancel");
  }

  /**
   * The throw-away key (and channel) a worker's start-up rights check writes under and deletes again; the keys
   * it uses all start with it.
   */
  public String rightsProbe() {
    return key("bp:probe");
  }

  /** Where a migration of this queue to this place stands (Bullpen's CLI; a hash BullMQ ignores). */
  public String migration() {
    return key(BULLPEN + ":migration");
  }

  /** What a key under {@link #keyPrefix()} is, by its name alone. */
  public enum Role {
    /** A key of the queue itself: a state structure, meta, events, counters, schedulers, metrics, Bullpen's own. */
    QUEUE,
    /** {@code <id>}: a job hash (when it is a hash). */
    JOB,
    /** {@code <id>:lock}, {@code :logs}, {@code :dependencies}, {@code :processed}, {@code :failed}, {@code :unsuccessful}. */
    JOB_PART,
    /** {@code de:<id>}: a deduplication owner. */
    DEDUPLICATION,
    /** {@code bp:g:<group>:wait}: a group's waiting jobs. */
    GROUP_WAIT
  }

  /** {@code SCAN MATCH} pattern of every key of this queue: the key prefix, glob characters escaped, then '*'. */
  public String scanPattern() {
    return globEscape(keyPrefix) + "*";
  }

  /** {@code text} with the glob characters of {@code SCAN MATCH} ({@code * ? [ ] \}) escaped. */
  public static String globEscape(String text) {
    return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  /** The sub-keys a job may have, {@code <id>:<suffix>}. */
  public static final List<String> JOB_PART_SUFFIXES = List.of("lock", "logs", "dependencies", "processed", "failed",
      "unsuccessful");

  /** What {@code key}, which must start with {@link #keyPrefix()}, is; see {@link Role}. */
  public Role role(String key) {
    String rest = key.substring(keyPrefix.length());
    if (QUEUE_KEY_SUFFIXES.contains(rest)) {
      return Role.QUEUE;
    }
    int colon = rest.indexOf(':');
    String family = colon < 0 ? rest : rest.substring(0, colon);
    if (family.equals(DEDUPLICATION) && colon > 0) {
      return Role.DEDUPLICATION;
    }
    if (family.equals(BULLPEN) && rest.startsWith(BULLPEN + ":g:") && rest.endsWith(":wait")) {
      return Role.GROUP_WAIT;
    }
    if (colon > 0 && (KEY_FAMILIES.contains(family) || family.equals(REPEAT) && rest.indexOf(':', colon + 1) < 0)) {
      return Role.QUEUE;   // bp:*, dn:*, metrics:*, repeat:<scheduler id>
    }
    for (String suffix : JOB_PART_SUFFIXES) {
      if (rest.endsWith(":" + suffix) && rest.length() > suffix.length() + 1
          && rest.substring(0, rest.length() - suffix.length() - 1).split(":", -1).length <= 3) {
        return Role.JOB_PART;
      }
    }
    return Role.JOB;
  }

  /** The job id of a {@link Role#JOB} or {@link Role#JOB_PART} key. */
  public String jobIdOf(String key) {
    String rest = key.substring(keyPrefix.length());
    return role(key) == Role.JOB_PART ? rest.substring(0, rest.lastIndexOf(':')) : rest;
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
