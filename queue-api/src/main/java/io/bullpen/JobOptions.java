package io.bullpen;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Immutable options of one job, with BullMQ's names, defaults and ranges. Unset options stay unset (so a
 * queue's default options can fill them); the builder validates every value at once.
 *
 * <pre>{@code
 * JobOptions opts = JobOptions.builder().attempts(3).backoff(Backoff.exponential(1000)).priority(5).build();
 * }</pre>
 */
public final class JobOptions {
  /** The highest priority number BullMQ accepts (2^21 - 1); 1 is the most urgent, 0 means none. */
  public static final int MAX_PRIORITY = 2_097_151;

  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final JobOptions EMPTY = builder().build();

  private final String jobId;
  private final Integer priority;
  private final Long delay;
  private final Boolean lifo;
  private final Integer attempts;
  private final Backoff backoff;
  private final KeepJobs removeOnComplete;
  private final KeepJobs removeOnFail;
  private final Long timestamp;
  private final Integer stackTraceLimit;
  private final Integer sizeLimit;
  private final Integer keepLogs;
  private final JobParent parent;
  private final ChildFailure onFailure;

  /** What a flow child's final failure does to its parent; null means BullMQ's default (the parent waits). */
  private enum ChildFailure {
    FAIL_PARENT("failParentOnFailure"),
    CONTINUE_PARENT("continueParentOnFailure"),
    IGNORE_DEPENDENCY("ignoreDependencyOnFailure"),
    REMOVE_DEPENDENCY("removeDependencyOnFailure");

    private final String option;

    ChildFailure(String option) {
      this.option = option;
    }
  }
  private final Deduplication deduplication;
  private final String group;
  private final String requiredCapability;

  private JobOptions(Builder b) {
    this.jobId = b.jobId;
    this.priority = b.priority;
    this.delay = b.delay;
    this.lifo = b.lifo;
    this.attempts = b.attempts;
    this.backoff = b.backoff;
    this.removeOnComplete = b.removeOnComplete;
    this.removeOnFail = b.removeOnFail;
    this.timestamp = b.timestamp;
    this.stackTraceLimit = b.stackTraceLimit;
    this.sizeLimit = b.sizeLimit;
    this.keepLogs = b.keepLogs;
    this.parent = b.parent;
    this.onFailure = b.onFailure;
    this.deduplication = b.deduplication;
    this.group = b.group;
    this.requiredCapability = b.requiredCapability;
    if (group != null && requiredCapability != null) {
      throw new InvalidOptionException("requiredCapability", requiredCapability,
          "cannot be combined with group " + group + "; a job is routed by one or the other");
    }
  }

  /** Options with nothing set. */
  public static JobOptions defaults() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this object's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.jobId = jobId;
    b.priority = priority;
    b.delay = delay;
    b.lifo = lifo;
    b.attempts = attempts;
    b.backoff = backoff;
    b.removeOnComplete = removeOnComplete;
    b.removeOnFail = removeOnFail;
    b.timestamp = timestamp;
    b.stackTraceLimit = stackTraceLimit;
    b.sizeLimit = sizeLimit;
    b.keepLogs = keepLogs;
    b.parent = parent;
    b.onFailure = onFailure;
    b.deduplication = deduplication;
    b.group = group;
    b.requiredCapability = requiredCapability;
    return b;
  }

  /** These options, with every unset value taken from {@code defaults}. */
  public JobOptions withDefaults(JobOptions defaults) {
    if (defaults == null || defaults == EMPTY) {
      return this;
    }
    Builder b = toBuilder();
    if (b.jobId == null) b.jobId = defaults.jobId;
    if (b.priority == null) b.priority = defaults.priority;
    if (b.delay == null) b.delay = defaults.delay;
    if (b.lifo == null) b.lifo = defaults.lifo;
    if (b.attempts == null) b.attempts = defaults.attempts;
    if (b.backoff == null) b.backoff = defaults.backoff;
    if (b.removeOnComplete == null) b.removeOnComplete = defaults.removeOnComplete;
    if (b.removeOnFail == null) b.removeOnFail = defaults.removeOnFail;
    if (b.timestamp == null) b.timestamp = defaults.timestamp;
    if (b.stackTraceLimit == null) b.stackTraceLimit = defaults.stackTraceLimit;
    if (b.sizeLimit == null) b.sizeLimit = defaults.sizeLimit;
    if (b.keepLogs == null) b.keepLogs = defaults.keepLogs;
    if (b.parent == null) b.parent = defaults.parent;
    if (b.onFailure == null) b.onFailure = defaults.onFailure;
    if (b.deduplication == null) b.deduplication = defaults.deduplication;
    if (b.group == null && b.requiredCapability == null) {
      b.group = defaults.group;
      b.requiredCapability = defaults.requiredCapability;
    }
    return b.build();
  }

  /** The custom job id, if one was given. */
  public Optional<String> jobId() {
    return Optional.ofNullable(jobId);
  }

  /** 0 (none, the default) to {@link #MAX_PRIORITY}; lower numbers run first. */
  public int priority() {
    return priority == null ? 0 : priority;
  }

  /** Milliseconds to wait before the job may run; 0 by default. */
  public long delay() {
    return delay == null ? 0 : delay;
  }

  /** Whether the job goes to the front of the wait list instead of the back. */
  public boolean lifo() {
    return lifo != null && lifo;
  }

  /** Total attempts allowed; 0 and 1 both mean no retry (the default 0). */
  public int attempts() {
    return attempts == null ? 0 : attempts;
  }

  public Optional<Backoff> backoff() {
    return Optional.ofNullable(backoff);
  }

  /** The job's own keep policy on completion, if set (else the worker's applies). */
  public Optional<KeepJobs> removeOnComplete() {
    return Optional.ofNullable(removeOnComplete);
  }

  /** The job's own keep policy on final failure, if set (else the worker's applies). */
  public Optional<KeepJobs> removeOnFail() {
    return Optional.ofNullable(removeOnFail);
  }

  /** Creation time in epoch ms, if given (else the producer's clock at add). */
  public Optional<Long> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  /** How many stack traces to keep on the job; unset keeps all. */
  public Optional<Integer> stackTraceLimit() {
    return Optional.ofNullable(stackTraceLimit);
  }

  /** Largest accepted serialised data size in bytes, if set. */
  public Optional<Integer> sizeLimit() {
    return Optional.ofNullable(sizeLimit);
  }

  /** Newest log lines to keep ({@code kl}); unset or 0 keeps all, as in BullMQ. */
  public Optional<Integer> keepLogs() {
    return Optional.ofNullable(keepLogs);
  }

  /** The flow parent this job is a child of, if any (BullMQ's {@code parent} option). */
  public Optional<JobParent> parent() {
    return Optional.ofNullable(parent);
  }

  /**
   * Whether this child's final failure fails its parent ({@code fpof}): the parent is released with a deferred
   * failure and fails as soon as a worker takes it, which may fail its own parent in turn.
   */
  public boolean failParentOnFailure() {
    return onFailure == ChildFailure.FAIL_PARENT;
  }

  /**
   * Whether this child's final failure lets its parent run at once, even while siblings are pending
   * ({@code cpof}); the failure is listed among the parent's ignored dependencies.
   */
  public boolean continueParentOnFailure() {
    return onFailure == ChildFailure.CONTINUE_PARENT;
  }

  /**
   * Whether this child's final failure counts as settled ({@code idof}): the parent runs once the other children
   * are done, and sees the failure among its ignored dependencies.
   */
  public boolean ignoreDependencyOnFailure() {
    return onFailure == ChildFailure.IGNORE_DEPENDENCY;
  }

  /**
   * Whether this child's final failure simply drops it from its parent's dependencies ({@code rdof}), leaving no
   * trace on the parent.
   */
  public boolean removeDependencyOnFailure() {
    return onFailure == ChildFailure.REMOVE_DEPENDENCY;
  }

  /** The deduplication rule ({@code de}), if set. */
  public Optional<Deduplication> deduplication() {
    return Optional.ofNullable(deduplication);
  }

  /** The job's group ({@code bpg}), whose limits it obeys, if set. */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  /** The capability a worker must have to take this job ({@code bpcap}), if set. */
  public Optional<String> requiredCapability() {
    return Optional.ofNullable(requiredCapability);
  }

  /** Whether an explicit {@code attempts} value was given. */
  public boolean hasAttempts() {
    return attempts != null;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JobOptions other)) {
      return false;
    }
    return Objects.equals(jobId, other.jobId) && Objects.equals(priority, other.priority)
        && Objects.equals(delay, other.delay) && Objects.equals(lifo, other.lifo)
        && Objects.equals(attempts, other.attempts) && Objects.equals(backoff, other.backoff)
        && Objects.equals(removeOnComplete, other.removeOnComplete)
        && Objects.equals(removeOnFail, other.removeOnFail) && Objects.equals(timestamp, other.timestamp)
        && Objects.equals(stackTraceLimit, other.stackTraceLimit) && Objects.equals(sizeLimit, other.sizeLimit)
        && Objects.equals(keepLogs, other.keepLogs) && Objects.equals(parent, other.parent)
        && onFailure == other.onFailure
        && Objects.equals(deduplication, other.deduplication)
        && Objects.equals(group, other.group) && Objects.equals(requiredCapability, other.requiredCapability);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobId, priority, delay, lifo, attempts, backoff, removeOnComplete, removeOnFail,
        timestamp, stackTraceLimit, sizeLimit, keepLogs, parent, onFailure, deduplication, group,
        requiredCapability);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("JobOptions{");
    if (jobId != null) s.append("jobId=").append(jobId).append(", ");
    if (priority != null) s.append("priority=").append(priority).append(", ");
    if (delay != null) s.append("delay=").append(delay).append(", ");
    if (lifo != null) s.append("lifo=").append(lifo).append(", ");
    if (attempts != null) s.append("attempts=").append(attempts).append(", ");
    if (backoff != null) s.append("backoff=").append(backoff).append(", ");
    if (removeOnComplete != null) s.append("removeOnComplete=").append(removeOnComplete).append(", ");
    if (removeOnFail != null) s.append("removeOnFail=").append(removeOnFail).append(", ");
    if (timestamp != null) s.append("timestamp=").append(timestamp).append(", ");
    if (stackTraceLimit != null) s.append("stackTraceLimit=").append(stackTraceLimit).append(", ");
    if (sizeLimit != null) s.append("sizeLimit=").append(sizeLimit).append(", ");
    if (keepLogs != null) s.append("keepLogs=").append(keepLogs).append(", ");
    if (parent != null) s.append("parent=").append(parent.key()).append(", ");
    if (onFailure != null) s.append(onFailure.option).append("=true, ");
    if (deduplication != null) s.append("deduplication=").append(deduplication).append(", ");
    if (group != null) s.append("group=").append(group).append(", ");
    if (requiredCapability != null) s.append("requiredCapability=").append(requiredCapability).append(", ");
    if (s.charAt(s.length() - 1) == ' ') s.setLength(s.length() - 2);
    return s.append('}').toString();
  }

  /** A group id or capability name: non-empty, without whitespace or control characters. */
  public static String validateRouteName(String field, String value) {
    if (value == null || value.isEmpty() || value.chars().anyMatch(c -> c <= ' ')) {
      throw new InvalidOptionException(field, value, "must be non-empty and contain no spaces or control characters");
    }
    return value;
  }

  /** Checks a custom job id against BullMQ's rules; returns it unchanged. */
  public static String validateJobId(String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidOptionException("jobId", id, "must be a non-empty string");
    }
    if (isCanonicalInteger(id)) {
      throw new InvalidOptionException("jobId", id, "Custom Id cannot be integers");
    }
    if (id.startsWith("0:")) {
      throw new InvalidOptionException("jobId", id, "ids starting with \"0:\" are reserved");
    }
    if (id.indexOf(':') >= 0 && id.split(":", -1).length != 3) {
      throw new InvalidOptionException("jobId", id, "Custom Id cannot contain :");
    }
    return id;
  }

  /**
   * BullMQ refuses an id exactly when {@code String(parseInt(id, 10)) === id} in JavaScript: the canonical
   * decimal form of an integer a double holds exactly, below 1e21. So "007", "-0" and ids beyond double
   * precision are allowed, as they are in Node.
   */
  private static boolean isCanonicalInteger(String id) {
    if (!INTEGER.matcher(id).matches()) {
      return false;
    }
    java.math.BigInteger value = new java.math.BigInteger(id);
    if (!value.toString().equals(id)) {
      return false;
    }
    double asDouble = value.doubleValue();
    return Math.abs(asDouble) < 1e21 && new java.math.BigDecimal(asDouble).toBigInteger().equals(value);
  }

  /** Builds {@link JobOptions}; every setter validates its value immediately. */
  public static final class Builder {
    private String jobId;
    private Integer priority;
    private Long delay;
    private Boolean lifo;
    private Integer attempts;
    private Backoff backoff;
    private KeepJobs removeOnComplete;
    private KeepJobs removeOnFail;
    private Long timestamp;
    private Integer stackTraceLimit;
    private Integer sizeLimit;
    private Integer keepLogs;
    private JobParent parent;
    private ChildFailure onFailure;
    private Deduplication deduplication;
    private String group;
    private String requiredCapability;

    private Builder() {}

    /** A custom id; adding a job whose id exists returns the existing job instead. */
    public Builder jobId(String id) {
      this.jobId = validateJobId(id);
      return this;
    }

    public Builder priority(int priority) {
      if (priority < 0 || priority > MAX_PRIORITY) {
        throw new InvalidOptionException("priority", priority, "must be between 0 and " + MAX_PRIORITY);
      }
      this.priority = priority;
      return this;
    }

    public Builder delay(long delayMillis) {
      if (delayMillis < 0) {
        throw new InvalidOptionException("delay", delayMillis, "must be >= 0 ms");
      }
      this.delay = delayMillis;
      return this;
    }

    public Builder delay(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      return delay(delay.toMillis());
    }

    public Builder lifo(boolean lifo) {
      this.lifo = lifo;
      return this;
    }

    public Builder attempts(int attempts) {
      if (attempts < 0) {
        throw new InvalidOptionException("attempts", attempts, "must be >= 0");
      }
      this.attempts = attempts;
      return this;
    }

    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** Shorthand for a fixed backoff of {@code delayMillis}, as BullMQ's numeric form. */
    public Builder backoff(long delayMillis) {
      return backoff(Backoff.fixed(delayMillis));
    }

    public Builder removeOnComplete(KeepJobs keep) {
      this.removeOnComplete = Objects.requireNonNull(keep, "removeOnComplete");
      return this;
    }

    /** {@code true} removes the job when it completes; {@code false} keeps it. */
    public Builder removeOnComplete(boolean remove) {
      return removeOnComplete(remove ? KeepJobs.none() : KeepJobs.all());
    }

    public Builder removeOnFail(KeepJobs keep) {
      this.removeOnFail = Objects.requireNonNull(keep, "removeOnFail");
      return this;
    }

    /** {@code true} removes the job when it finally fails; {@code false} keeps it. */
    public Builder removeOnFail(boolean remove) {
      return removeOnFail(remove ? KeepJobs.none() : KeepJobs.all());
    }

    public Builder timestamp(long epochMillis) {
      if (epochMillis < 0) {
        throw new InvalidOptionException("timestamp", epochMillis, "must be >= 0 (epoch ms)");
      }
      this.timestamp = epochMillis;
      return this;
    }

    public Builder stackTraceLimit(int limit) {
      if (limit < 0) {
        throw new InvalidOptionException("stackTraceLimit", limit, "must be >= 0");
      }
      this.stackTraceLimit = limit;
      return this;
    }

    public Builder sizeLimit(int bytes) {
      if (bytes <= 0) {
        throw new InvalidOptionException("sizeLimit", bytes, "must be > 0 bytes");
      }
      this.sizeLimit = bytes;
      return this;
    }

    public Builder keepLogs(int lines) {
      if (lines < 0) {
        throw new InvalidOptionException("keepLogs", lines, "must be >= 0");
      }
      this.keepLogs = lines;
      return this;
    }

    /** Makes the job a child of {@code parent}, which must exist when the job is added. */
    public Builder parent(JobParent parent) {
      this.parent = Objects.requireNonNull(parent, "parent");
      return this;
    }

    /** Makes the job a child of the job {@code parentId} in the queue {@code <prefix>:<queue>}. */
    public Builder parent(String queueQualifiedName, String parentId) {
      return parent(new JobParent(parentId, queueQualifiedName));
    }

    /** Makes the job a child of {@code parent}, typically the job a processor is running. */
    public Builder parent(Job parent) {
      Objects.requireNonNull(parent, "parent");
      return parent(new JobParent(parent.id(), parent.queueQualifiedName()));
    }

    /** See {@link JobOptions#failParentOnFailure()}; at most one of the four failure policies may be set. */
    public Builder failParentOnFailure(boolean enabled) {
      return onFailure(ChildFailure.FAIL_PARENT, enabled);
    }

    /** See {@link JobOptions#continueParentOnFailure()}; at most one of the four failure policies may be set. */
    public Builder continueParentOnFailure(boolean enabled) {
      return onFailure(ChildFailure.CONTINUE_PARENT, enabled);
    }

    /** See {@link JobOptions#ignoreDependencyOnFailure()}; at most one of the four failure policies may be set. */
    public Builder ignoreDependencyOnFailure(boolean enabled) {
      return onFailure(ChildFailure.IGNORE_DEPENDENCY, enabled);
    }

    /** See {@link JobOptions#removeDependencyOnFailure()}; at most one of the four failure policies may be set. */
    public Builder removeDependencyOnFailure(boolean enabled) {
      return onFailure(ChildFailure.REMOVE_DEPENDENCY, enabled);
    }

    private Builder onFailure(ChildFailure policy, boolean enabled) {
      if (!enabled) {
        if (onFailure == policy) {
          onFailure = null;
        }
        return this;
      }
      if (onFailure != null && onFailure != policy) {
        throw new InvalidOptionException(policy.option, true, "cannot be combined with " + onFailure.option
            + "=true: at most one of failParentOnFailure, continueParentOnFailure, ignoreDependencyOnFailure and "
            + "removeDependencyOnFailure may be set");
      }
      onFailure = policy;
      return this;
    }

    /** Deduplicates adds on {@code deduplication.id()} (BullMQ's {@code deduplication}). */
    public Builder deduplication(Deduplication deduplication) {
      this.deduplication = Objects.requireNonNull(deduplication, "deduplication");
      return this;
    }

    /**
     * Puts the job in a group (Bullpen's extension): the group's limits ({@code Queue.setGroupLimits}) apply,
     * and groups are served round-robin. Grouped jobs wait outside BullMQ's {@code wait} list, so only Bullpen
     * workers run them.
     */
    public Builder group(String groupId) {
      this.group = validateRouteName("group", groupId);
      return this;
    }

    /**
     * Only workers declaring {@code capability} ({@code WorkerOptions.capabilities}) take the job (Bullpen's
     * extension); it waits outside BullMQ's {@code wait} list, so Node workers never see it.
     */
    public Builder requiredCapability(String capability) {
      this.requiredCapability = validateRouteName("requiredCapability", capability);
      return this;
    }

    public JobOptions build() {
      return new JobOptions(this);
    }
  }
}
