package io.bullpen;

import java.util.Objects;

/**
 * The values behind {@link JobOptions}, each null while unset: one list of fields for the options, their
 * builder, the merge with a queue's defaults, equality and the string form. Mutable inside a builder; a
 * JobOptions keeps its own copy and never changes it.
 */
final class JobOptionValues {
  String jobId;
  Integer priority;
  Long delay;
  Boolean lifo;
  Integer attempts;
  Backoff backoff;
  KeepJobs removeOnComplete;
  KeepJobs removeOnFail;
  Long timestamp;
  Integer stackTraceLimit;
  Integer sizeLimit;
  Integer keepLogs;
  JobParent parent;
  ChildFailurePolicy onFailure;
  Deduplication deduplication;
  String group;
  String requiredCapability;
  String telemetryMetadata;
  Boolean omitContext;

  JobOptionValues copy() {
    JobOptionValues c = new JobOptionValues();
    c.jobId = jobId;
    c.priority = priority;
    c.delay = delay;
    c.lifo = lifo;
    c.attempts = attempts;
    c.backoff = backoff;
    c.removeOnComplete = removeOnComplete;
    c.removeOnFail = removeOnFail;
    c.timestamp = timestamp;
    c.stackTraceLimit = stackTraceLimit;
    c.sizeLimit = sizeLimit;
    c.keepLogs = keepLogs;
    c.parent = parent;
    c.onFailure = onFailure;
    c.deduplication = deduplication;
    c.group = group;
    c.requiredCapability = requiredCapability;
    c.telemetryMetadata = telemetryMetadata;
    c.omitContext = omitContext;
    return c;
  }

  /** Sets every unset value from {@code defaults}; group and capability count as one choice, the routing. */
  void fillFrom(JobOptionValues d) {
    jobId = jobId != null ? jobId : d.jobId;
    priority = priority != null ? priority : d.priority;
    delay = delay != null ? delay : d.delay;
    lifo = lifo != null ? lifo : d.lifo;
    attempts = attempts != null ? attempts : d.attempts;
    backoff = backoff != null ? backoff : d.backoff;
    removeOnComplete = removeOnComplete != null ? removeOnComplete : d.removeOnComplete;
    removeOnFail = removeOnFail != null ? removeOnFail : d.removeOnFail;
    timestamp = timestamp != null ? timestamp : d.timestamp;
    stackTraceLimit = stackTraceLimit != null ? stackTraceLimit : d.stackTraceLimit;
    sizeLimit = sizeLimit != null ? sizeLimit : d.sizeLimit;
    keepLogs = keepLogs != null ? keepLogs : d.keepLogs;
    parent = parent != null ? parent : d.parent;
    onFailure = onFailure != null ? onFailure : d.onFailure;
    deduplication = deduplication != null ? deduplication : d.deduplication;
    telemetryMetadata = telemetryMetadata != null ? telemetryMetadata : d.telemetryMetadata;
    omitContext = omitContext != null ? omitContext : d.omitContext;
    if (group == null && requiredCapability == null) {
      group = d.group;
      requiredCapability = d.requiredCapability;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JobOptionValues other)) {
      return false;
    }
    return Objects.equals(jobId, other.jobId) && Objects.equals(priority, other.priority)
        && Objects.equals(delay, other.delay) && Objects.equals(lifo, other.lifo)
        && Objects.equals(attempts, other.attempts) && Objects.equals(backoff, other.backoff)
        && Objects.equals(removeOnComplete, other.removeOnComplete)
        && Objects.equals(removeOnFail, other.removeOnFail) && Objects.equals(timestamp, other.timestamp)
        && Objects.equals(stackTraceLimit, other.stackTraceLimit) && Objects.equals(sizeLimit, other.sizeLimit)
        && Objects.equals(keepLogs, other.keepLogs) && Objects.equals(parent, other.parent)
        && onFailure == other.onFailure && Objects.equals(deduplication, other.deduplication)
        && Objects.equals(group, other.group) && Objects.equals(requiredCapability, other.requiredCapability)
        && Objects.equals(telemetryMetadata, other.telemetryMetadata) && Objects.equals(omitContext, other.omitContext);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobId, priority, delay, lifo, attempts, backoff, removeOnComplete, removeOnFail,
        timestamp, stackTraceLimit, sizeLimit, keepLogs, parent, onFailure, deduplication, group,
        requiredCapability, telemetryMetadata, omitContext);
  }

  /** The set values only, e.g. {@code JobOptions{priority=3, attempts=2}}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("JobOptions{");
    append(s, "jobId", jobId);
    append(s, "priority", priority);
    append(s, "delay", delay);
    append(s, "lifo", lifo);
    append(s, "attempts", attempts);
    append(s, "backoff", backoff);
    append(s, "removeOnComplete", removeOnComplete);
    append(s, "removeOnFail", removeOnFail);
    append(s, "timestamp", timestamp);
    append(s, "stackTraceLimit", stackTraceLimit);
    append(s, "sizeLimit", sizeLimit);
    append(s, "keepLogs", keepLogs);
    append(s, "parent", parent == null ? null : parent.key());
    append(s, onFailure == null ? "" : onFailure.option, onFailure == null ? null : true);
    append(s, "deduplication", deduplication);
    append(s, "group", group);
    append(s, "requiredCapability", requiredCapability);
    append(s, "telemetryMetadata", telemetryMetadata);
    append(s, "omitContext", omitContext);
    if (s.charAt(s.length() - 1) == ' ') {
      s.setLength(s.length() - 2);
    }
    return s.append('}').toString();
  }

  private static void append(StringBuilder s, String name, Object value) {
    if (value != null) {
      s.append(name).append('=').append(value).append(", ");
    }
  }
}
