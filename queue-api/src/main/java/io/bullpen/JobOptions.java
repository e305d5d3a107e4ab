package io.bullpen;

import java.time.Duration;
import java.util.Optional;

/**
 * Immutable options of one job, with BullMQ's names, defaults and ranges. Unset options stay unset (so a
 * queue's default options can fill them); the builder validates every value at once. The values themselves,
 * their merge with defaults and equality live in {@code JobOptionValues}, custom id rules in {@link JobIds}.
 *
 * <pre>{@code
 * JobOptions opts = JobOptions.builder().attempts(3).backoff(Backoff.exponential(1000)).priority(5).build();
 * }</pre>
 */
public final class JobOptions {
  /** The highest priority number BullMQ accepts (2^21 - 1); 1 is the most urgent, 0 means none. */
  public static final int MAX_PRIORITY = 2_097_151;

  private static final JobOptions EMPTY = builder().build();

  private final JobOptionValues v;

  private JobOptions(JobOptionValues values) {
    if (values.group != null && values.requiredCapability != null) {
      throw new InvalidOptionException("requiredCapability", values.requiredCapability,
          "cannot be combined with group " + values.group + "; a job is routed by one or the other");
    }
    this.v = values;
  }

  /** Options with nothing set. */
  public static JobOptions defaults() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder(new JobOptionValues());
  }

  /** A builder holding this object's values. */
  public Builder toBuilder() {
    return new Builder(v.copy());
  }

  /** These options, with every unset value taken from {@code defaults}. */
  public JobOptions withDefaults(JobOptions defaults) {
    if (defaults == null || defaults == EMPTY) {
      return this;
    }
    JobOptionValues merged = v.copy();
    merged.fillFrom(defaults.v);
    return new JobOptions(merged);
  }

  /** The custom job id, if one was given. */
  public Optional<String> jobId() {
    return Optional.ofNullable(v.jobId);
  }

  /** 0 (none, the default) to {@link #MAX_PRIORITY}; lower numbers run first. */
  public int priority() {
    return v.priority == null ? 0 : v.priority;
  }

  /** Milliseconds to wait before the job may run; 0 by default. */
  public long delay() {
    return v.delay == null ? 0 : v.delay;
  }

  /** Whether the job goes to the front of the wait list instead of the back. */
  public boolean lifo() {
    return v.lifo != null && v.lifo;
  }

  /** Total attempts allowed; 0 and 1 both mean no retry (the default 0). */
  public int attempts() {
    return v.attempts == null ? 0 : v.attempts;
  }

  public Optional<Backoff> backoff() {
    return Optional.ofNullable(v.backoff);
  }

  /** The job's own keep policy on completion, if set (else the worker's applies). */
  public Optional<KeepJobs> removeOnComplete() {
    return Optional.ofNullable(v.removeOnComplete);
  }

  /** The job's own keep policy on final failure, if set (else the worker's applies). */
  public Optional<KeepJobs> removeOnFail() {
    return Optional.ofNullable(v.removeOnFail);
  }

  /** Creation time in epoch ms, if given (else the producer's clock at add). */
  public Optional<Long> timestamp() {
    return Optional.ofNullable(v.timestamp);
  }

  /** How many stack traces to keep on the job; unset keeps all. */
  public Optional<Integer> stackTraceLimit() {
    return Optional.ofNullable(v.stackTraceLimit);
  }

  /** Largest accepted serialised data size in bytes, if set. */
  public Optional<Integer> sizeLimit() {
    return Optional.ofNullable(v.sizeLimit);
  }

  /** Newest log lines to keep ({@code kl}); unset or 0 keeps all, as in BullMQ. */
  public Optional<Integer> keepLogs() {
    return Optional.ofNullable(v.keepLogs);
  }

  /** The flow parent this job is a child of, if any (BullMQ's {@code parent} option). */
  public Optional<JobParent> parent() {
    return Optional.ofNullable(v.parent);
  }

  /**
   * Whether this child's final failure fails its parent ({@code fpof}): the parent is released with a deferred
   * failure and fails as soon as a worker takes it, which may fail its own parent in turn.
   */
  public boolean failParentOnFailure() {
    return v.onFailure == ChildFailurePolicy.FAIL_PARENT;
  }

  /**
   * Whether this child's final failure lets its parent run at once, even while siblings are pending
   * ({@code cpof}); the failure is listed among the parent's ignored dependencies.
   */
  public boolean continueParentOnFailure() {
    return v.onFailure == ChildFailurePolicy.CONTINUE_PARENT;
  }

  /**
   * Whether this child's final failure counts as settled ({@code idof}): the parent runs once the other children
   * are done, and sees the failure among its ignored dependencies.
   */
  public boolean ignoreDependencyOnFailure() {
    return v.onFailure == ChildFailurePolicy.IGNORE_DEPENDENCY;
  }

  /**
   * Whether this child's final failure simply drops it from its parent's dependencies ({@code rdof}), leaving no
   * trace on the parent.
   */
  public boolean removeDependencyOnFailure() {
    return v.onFailure == ChildFailurePolicy.REMOVE_DEPENDENCY;
  }

  /** The deduplication rule ({@code de}), if set. */
  public Optional<Deduplication> deduplication() {
    return Optional.ofNullable(v.deduplication);
  }

  /** The job's group ({@code bpg}), whose limits it obeys, if set. */
  public Optional<String> group() {
    return Optional.ofNullable(v.group);
  }

  /** The capability a worker must have to take this job ({@code bpcap}), if set. */
  public Optional<String> requiredCapability() {
    return Optional.ofNullable(v.requiredCapability);
  }

  /**
   * The telemetry metadata stored with the job ({@code opts.tm}), if set: BullMQ's telemetry, and Bullpen's
   * observers, store the producer's trace context there as the JSON object text of its propagation headers, e.g.
   * {@code {"traceparent":"00-…-01"}}, and a worker continues the trace from it.
   */
  public Optional<String> telemetryMetadata() {
    return Optional.ofNullable(v.telemetryMetadata);
  }

  /** Whether the producer's trace context is left out of the job ({@code opts.omc}, BullMQ's omitContext). */
  public boolean omitContext() {
    return Boolean.TRUE.equals(v.omitContext);
  }

  /** Whether an explicit {@code attempts} value was given. */
  public boolean hasAttempts() {
    return v.attempts != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobOptions other && v.equals(other.v);
  }

  @Override
  public int hashCode() {
    return v.hashCode();
  }

  @Override
  public String toString() {
    return v.toString();
  }

  /** A group id or capability name: non-empty, without whitespace or control characters. */
  public static String validateRouteName(String field, String value) {
    if (value == null || value.isEmpty() || value.chars().anyMatch(c -> c <= ' ')) {
      throw new InvalidOptionException(field, value, "must be non-empty and contain no spaces or control characters");
    }
    return StoredText.requireWellFormed(field, value);
  }

  /** Builds {@link JobOptions}; every setter validates its value immediately. */
  public static final class Builder {
    private final JobOptionValues v;

    private Builder(JobOptionValues values) {
      this.v = values;
    }

    /** A custom id; adding a job whose id exists returns the existing job instead. */
    public Builder jobId(String id) {
      v.jobId = JobIds.requireValidCustomId(id);
      return this;
    }

    public Builder priority(int priority) {
      if (priority < 0 || priority > MAX_PRIORITY) {
        throw new InvalidOptionException("priority", priority, "must be between 0 and " + MAX_PRIORITY);
      }
      v.priority = priority;
      return this;
    }

    /** Milliseconds to wait, 0 to {@link TimeLimits#MAX_EPOCH_MILLIS}; the job must fall due by that time. */
    public Builder delay(long delayMillis) {
      v.delay = TimeLimits.requireMillis("delay", delayMillis, 0);
      return this;
    }

    public Builder delay(Duration delay) {
      return delay(TimeLimits.requireMillis("delay", delay, 0));
    }

    public Builder lifo(boolean lifo) {
      v.lifo = lifo;
      return this;
    }

    public Builder attempts(int attempts) {
      if (attempts < 0) {
        throw new InvalidOptionException("attempts", attempts, "must be >= 0");
      }
      v.attempts = attempts;
      return this;
    }

    public Builder backoff(Backoff backoff) {
      v.backoff = required("backoff", backoff);
      return this;
    }

    /** Shorthand for a fixed backoff of {@code delayMillis}, as BullMQ's numeric form. */
    public Builder backoff(long delayMillis) {
      return backoff(Backoff.fixed(delayMillis));
    }

    public Builder removeOnComplete(KeepJobs keep) {
      v.removeOnComplete = required("removeOnComplete", keep);
      return this;
    }

    /** {@code true} removes the job when it completes; {@code false} keeps it. */
    public Builder removeOnComplete(boolean remove) {
      return removeOnComplete(remove ? KeepJobs.none() : KeepJobs.all());
    }

    public Builder removeOnFail(KeepJobs keep) {
      v.removeOnFail = required("removeOnFail", keep);
      return this;
    }

    /** {@code true} removes the job when it finally fails; {@code false} keeps it. */
    public Builder removeOnFail(boolean remove) {
      return removeOnFail(remove ? KeepJobs.none() : KeepJobs.all());
    }

    /** The creation time in epoch ms, 0 to {@link TimeLimits#MAX_EPOCH_MILLIS}. */
    public Builder timestamp(long epochMillis) {
      v.timestamp = TimeLimits.requireEpochMillis("timestamp", epochMillis);
      return this;
    }

    public Builder stackTraceLimit(int limit) {
      if (limit < 0) {
        throw new InvalidOptionException("stackTraceLimit", limit, "must be >= 0");
      }
      v.stackTraceLimit = limit;
      return this;
    }

    public Builder sizeLimit(int bytes) {
      if (bytes <= 0) {
        throw new InvalidOptionException("sizeLimit", bytes, "must be > 0 bytes");
      }
      v.sizeLimit = bytes;
      return this;
    }

    public Builder keepLogs(int lines) {
      if (lines < 0) {
        throw new InvalidOptionException("keepLogs", lines, "must be >= 0");
      }
      v.keepLogs = lines;
      return this;
    }

    /** Makes the job a child of {@code parent}, which must exist when the job is added. */
    public Builder parent(JobParent parent) {
      v.parent = required("parent", parent);
      return this;
    }

    /** Makes the job a child of the job {@code parentId} in the queue {@code <prefix>:<queue>}. */
    public Builder parent(String queueQualifiedName, String parentId) {
      return parent(new JobParent(parentId, queueQualifiedName));
    }

    /** Makes the job a child of {@code parent}, typically the job a processor is running. */
    public Builder parent(Job parent) {
      required("parent", parent);
      return parent(new JobParent(parent.id(), parent.queueQualifiedName()));
    }

    /** See {@link JobOptions#failParentOnFailure()}; at most one of the four failure policies may be set. */
    public Builder failParentOnFailure(boolean enabled) {
      return onFailure(ChildFailurePolicy.FAIL_PARENT, enabled);
    }

    /** See {@link JobOptions#continueParentOnFailure()}; at most one of the four failure policies may be set. */
    public Builder continueParentOnFailure(boolean enabled) {
      return onFailure(ChildFailurePolicy.CONTINUE_PARENT, enabled);
    }

    /** See {@link JobOptions#ignoreDependencyOnFailure()}; at most one of the four failure policies may be set. */
    public Builder ignoreDependencyOnFailure(boolean enabled) {
      return onFailure(ChildFailurePolicy.IGNORE_DEPENDENCY, enabled);
    }

    /** See {@link JobOptions#removeDependencyOnFailure()}; at most one of the four failure policies may be set. */
    public Builder removeDependencyOnFailure(boolean enabled) {
      return onFailure(ChildFailurePolicy.REMOVE_DEPENDENCY, enabled);
    }

    private Builder onFailure(ChildFailurePolicy policy, boolean enabled) {
      v.onFailure = ChildFailurePolicy.set(v.onFailure, policy, enabled);
      return this;
    }

    /** Deduplicates adds on {@code deduplication.id()} (BullMQ's {@code deduplication}). */
    public Builder deduplication(Deduplication deduplication) {
      v.deduplication = required("deduplication", deduplication);
      return this;
    }

    /**
     * Puts the job in a group (Bullpen's extension): the group's limits
     * ({@code queue.limits().setGroupLimits}) apply, and groups are served round-robin. Grouped jobs wait outside
     * BullMQ's {@code wait} list, so only Bullpen workers run them.
     */
    public Builder group(String groupId) {
      v.group = validateRouteName("group", groupId);
      return this;
    }

    /**
     * Only workers declaring {@code capability} ({@code WorkerOptions.capabilities}) take the job (Bullpen's
     * extension); it waits outside BullMQ's {@code wait} list, so Node workers never see it.
     */
    public Builder requiredCapability(String capability) {
      v.requiredCapability = validateRouteName("requiredCapability", capability);
      return this;
    }

    /**
     * Stores {@code metadata} as the job's telemetry metadata ({@code opts.tm}) instead of the current trace
     * context; it is what BullMQ's {@code telemetry.metadata} job option stores.
     */
    public Builder telemetryMetadata(String metadata) {
      v.telemetryMetadata = StoredText.requireWellFormed("telemetryMetadata", required("telemetryMetadata", metadata));
      return this;
    }

    /** Leaves the producer's trace context out of the job ({@code opts.omc}, BullMQ's {@code omitContext}). */
    public Builder omitContext(boolean omit) {
      v.omitContext = omit;
      return this;
    }

    public JobOptions build() {
      return new JobOptions(v.copy());
    }

    private static <T> T required(String field, T value) {
      if (value == null) {
        throw new InvalidOptionException(field, null, "must not be null");
      }
      return value;
    }
  }
}
