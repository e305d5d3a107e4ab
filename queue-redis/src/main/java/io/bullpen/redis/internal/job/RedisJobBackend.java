package io.bullpen.redis.internal.job;

import io.bullpen.DependencyCounts;
import io.bullpen.DependencyPage;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobDependencies;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.LockLostException;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.ChildrenPendingException;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.script.ScriptErrors;
import io.bullpen.redis.internal.script.ScriptRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The job-level Redis operations of one queue, each one atomic script. Used by the jobs a Queue returns and by
 * the jobs a Worker hands to processors.
 */
public final class RedisJobBackend implements JobBackend {
  private final QueueKeys keys;
  private final QueueScripts scripts;
  private final Clock clock;

  public RedisJobBackend(QueueKeys keys, ScriptRunner scripts, long timeoutMillis, Clock clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.scripts = new QueueScripts(keys, scripts, timeoutMillis);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public QueueKeys keys() {
    return keys;
  }

  @Override
  public String queueQualifiedName() {
    return keys.qualifiedName();
  }

  /** The job's hash, or empty when it does not exist; the job's actions go through {@code handle}. */
  public Optional<Job> getJob(String jobId, JobBackend handle) {
    requireId(jobId);
    Map<String, String> fields = scripts.await(scripts.runner().commands().hgetall(keys.jobKey(jobId)), "HGETALL");
    if (fields == null || fields.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RedisJob(jobId, keys.queueName(), fields, handle, null));
  }

  @Override
  public void updateProgress(String jobId, String progressJson) {
    requireId(jobId);
    Object reply = scripts.run(Script.UPDATE_PROGRESS, List.of(keys.jobKey(jobId), keys.events(), keys.meta()),
        List.of(jobId, progressJson));
    ScriptErrors.check(reply, keys.queueName(), jobId, "updateProgress");
  }

  @Override
  public long addLog(String jobId, String line, Integer keepLogs) {
    requireId(jobId);
    if (line == null) {
      throw new InvalidOptionException("line", null, "a log line must not be null");
    }
    if (keepLogs != null && keepLogs < 0) {
      throw new InvalidOptionException("keepLogs", keepLogs, "must be >= 0");
    }
    Object reply = scripts.run(Script.ADD_LOG, List.of(keys.jobKey(jobId), keys.logsKey(jobId)),
        List.of(line, keepLogs == null ? "" : keepLogs.toString()));
    return ScriptErrors.check(reply, keys.queueName(), jobId, "addLog");
  }

  /** Appends {@code lines} in order in one script call (a worker's buffered logs). */
  public long addLogs(String jobId, List<String> lines, Integer keepLogs) {
    requireId(jobId);
    List<String> args = new java.util.ArrayList<>(lines.size() + 1);
    args.add(keepLogs == null ? "" : keepLogs.toString());
    args.addAll(lines);
    Object reply = scripts.run(Script.ADD_LOGS, List.of(keys.jobKey(jobId), keys.logsKey(jobId)), args);
    return ScriptErrors.check(reply, keys.queueName(), jobId, "addLogs");
  }

  @Override
  public void extendLock(String jobId, String token, Duration duration) {
    requireId(jobId);
    if (token == null || token.isEmpty()) {
      throw new InvalidOptionException("token", token, "must be the lock token the job was fetched with");
    }
    if (duration == null || duration.toMillis() <= 0) {
      throw new InvalidOptionException("duration", duration, "must be at least 1 ms");
    }
    Object reply = scripts.run(Script.EXTEND_LOCK, List.of(keys.lockKey(jobId), keys.stalled()),
        List.of(token, Long.toString(duration.toMillis()), jobId));
    long code = QueueScripts.number(reply, "extendLock");
    if (code == ScriptErrors.LOCK_MISSING) {
      throw new LockLostException(keys.queueName(), jobId, "extendLock", "the lock is missing (expired or released)");
    }
    if (code == ScriptErrors.LOCK_MISMATCH) {
      throw new LockLostException(keys.queueName(), jobId, "extendLock", "the lock is held by another worker");
    }
    ScriptErrors.check(reply, keys.queueName(), jobId, "extendLock");
  }

  @Override
  public void updateData(String jobId, String dataJson) {
    requireId(jobId);
    Objects.requireNonNull(dataJson, "dataJson");
    Object reply = scripts.run(Script.UPDATE_DATA, List.of(keys.jobKey(jobId)), List.of(dataJson));
    ScriptErrors.check(reply, keys.queueName(), jobId, "updateData");
  }

  @Override
  public JobState getState(String jobId) {
    requireId(jobId);
    Object reply = scripts.run(Script.GET_STATE,
        List.of(keys.completed(), keys.failed(), keys.delayed(), keys.prioritized(), keys.active(),
            keys.waitList(), keys.paused(), keys.waitingChildren()),
        List.of(jobId));
    return JobState.fromWireName(String.valueOf(reply));
  }

  @Override
  public void reprocess(String jobId) {
    requireId(jobId);
    Object reply = scripts.run(Script.REPROCESS,
        List.of(keys.jobKey(jobId), keys.events(), keys.failed(), keys.completed(), keys.waitList(), keys.meta(),
            keys.active(), keys.marker()),
        List.of(jobId));
    if (reply instanceof Long) {
      ScriptErrors.check(reply, keys.queueName(), jobId, "retry");
    }
  }

  @Override
  public boolean remove(String jobId) {
    requireId(jobId);
    Object reply = scripts.run(Script.REMOVE_JOB, List.of(keys.jobKey(jobId)), List.of(keys.keyPrefix(), jobId));
    if (reply instanceof List) {
      return false; // the job or a descendant is locked by a worker
    }
    return ScriptErrors.check(reply, keys.queueName(), jobId, "remove") == 1;
  }

  @Override
  public void promote(String jobId) {
    requireId(jobId);
    Object reply = scripts.run(Script.PROMOTE,
        List.of(keys.delayed(), keys.waitList(), keys.meta(), keys.prioritized(), keys.active(),
            keys.priorityCounter(), keys.events(), keys.marker(), keys.jobKey(jobId)),
        List.of(jobId));
    ScriptErrors.check(reply, keys.queueName(), jobId, "promote");
  }

  /** Re-places a waiting job by its new priority; other states only get the field. */
  public void changePriority(String jobId, int priority, boolean lifo) {
    requireId(jobId);
    if (priority < 0 || priority > JobOptions.MAX_PRIORITY) {
      throw new InvalidOptionException("priority", priority, "must be between 0 and " + JobOptions.MAX_PRIORITY);
    }
    Object reply = scripts.run(Script.CHANGE_PRIORITY,
        List.of(keys.waitList(), keys.paused(), keys.meta(), keys.prioritized(), keys.active(),
            keys.priorityCounter(), keys.marker(), keys.jobKey(jobId)),
        List.of(jobId, Integer.toString(priority), lifo ? "1" : "0"));
    ScriptErrors.check(reply, keys.queueName(), jobId, "changePriority");
  }

  /** Gives a delayed job a new delay counted from now (the injected clock). */
  public void changeDelay(String jobId, long delayMillis) {
    requireId(jobId);
    if (delayMillis < 0) {
      throw new InvalidOptionException("delay", delayMillis, "must be >= 0 ms");
    }
    Object reply = scripts.run(Script.CHANGE_DELAY,
        List.of(keys.delayed(), keys.meta(), keys.marker(), keys.events(), keys.jobKey(jobId)),
        List.of(jobId, Long.toString(delayMillis), Long.toString(clock.millis())));
    ScriptErrors.check(reply, keys.queueName(), jobId, "changeDelay");
  }

  @Override
  public Map<String, String> getChildrenValues(String jobId) {
    requireId(jobId);
    return scripts.await(scripts.runner().commands().hgetall(keys.processedKey(jobId)), "HGETALL processed");
  }

  @Override
  public Map<String, String> getIgnoredFailures(String jobId) {
    requireId(jobId);
    return scripts.await(scripts.runner().commands().hgetall(keys.ignoredFailuresKey(jobId)), "HGETALL failed");
  }

  @Override
  public JobDependencies getDependencies(String jobId, DependencyPage page) {
    requireId(jobId);
    List<String> args = page == null
        ? List.of("all", "all", "all", "all", "1")
        : List.of(cursorArg(page.processed()), cursorArg(page.pending()), cursorArg(page.failed()),
            cursorArg(page.ignored()), Integer.toString(page.count()));
    List<Object> reply = QueueScripts.list(scripts.run(Script.GET_DEPENDENCIES, List.of(keys.jobKey(jobId)), args),
        "getDependencies");
    Map<String, String> processed = RedisJob.fieldsFromFlatList(QueueScripts.list(reply.get(0), "getDependencies"));
    List<String> pending = strings(reply.get(2));
    List<String> failed = strings(reply.get(4));
    Map<String, String> ignored = RedisJob.fieldsFromFlatList(QueueScripts.list(reply.get(6), "getDependencies"));
    Optional<DependencyPage> next = page == null ? Optional.empty() : nextPage(page.count(), reply);
    return new JobDependencies(processed, pending, failed, ignored, next);
  }

  @Override
  public DependencyCounts getDependencyCounts(String jobId) {
    requireId(jobId);
    List<Object> counts = QueueScripts.list(
        scripts.run(Script.GET_DEPENDENCY_COUNTS, List.of(keys.jobKey(jobId)), List.of()), "getDependencyCounts");
    return new DependencyCounts(QueueScripts.number(counts.get(0), "getDependencyCounts"),
        QueueScripts.number(counts.get(1), "getDependencyCounts"),
        QueueScripts.number(counts.get(2), "getDependencyCounts"),
        QueueScripts.number(counts.get(3), "getDependencyCounts"));
  }

  @Override
  public boolean moveToWaitingChildren(String jobId, String token, String childKey) {
    requireId(jobId);
    if (token == null || token.isEmpty()) {
      throw new InvalidOptionException("token", token, "must be the lock token the job was fetched with");
    }
    Object reply = scripts.run(Script.MOVE_TO_WAITING_CHILDREN,
        List.of(keys.active(), keys.waitingChildren(), keys.stalled(), keys.events(), keys.jobKey(jobId)),
        List.of(jobId, token, childKey == null ? "" : childKey, Long.toString(clock.millis())));
    if (reply instanceof Long code && code == ScriptErrors.FAILED_CHILDREN) {
      // As in BullMQ this is final: the worker fails the job without using its remaining attempts.
      throw new ChildrenPendingException(keys.queueName(), jobId, true, "moveToWaitingChildren");
    }
    return ScriptErrors.check(reply, keys.queueName(), jobId, "moveToWaitingChildren") == 0;
  }

  @Override
  public boolean removeChildDependency(String jobId) {
    requireId(jobId);
    Object reply = scripts.run(Script.REMOVE_CHILD_DEPENDENCY, List.of(keys.jobKey(jobId)), List.of());
    return ScriptErrors.check(reply, keys.queueName(), jobId, "removeChildDependency") == 0;
  }

  /** Where to go on from the cursors getDependencies returned (0 = that kind is done); empty when all are done. */
  private static Optional<DependencyPage> nextPage(int count, List<Object> reply) {
    long processed = Long.parseLong(String.valueOf(reply.get(1)));
    long pending = Long.parseLong(String.valueOf(reply.get(3)));
    long failed = Long.parseLong(String.valueOf(reply.get(5)));
    long ignored = Long.parseLong(String.valueOf(reply.get(7)));
    if (processed == 0 && pending == 0 && failed == 0 && ignored == 0) {
      return Optional.empty();
    }
    DependencyPage.Builder next = DependencyPage.builder().count(count);
    if (processed != 0) {
      next.processed(processed);
    }
    if (pending != 0) {
      next.pending(pending);
    }
    if (failed != 0) {
      next.failed(failed);
    }
    if (ignored != 0) {
      next.ignored(ignored);
    }
    return Optional.of(next.build());
  }

  private static String cursorArg(java.util.OptionalLong cursor) {
    return cursor.isPresent() ? Long.toString(cursor.getAsLong()) : "";
  }

  private static List<String> strings(Object reply) {
    List<Object> items = QueueScripts.list(reply, "getDependencies");
    List<String> out = new java.util.ArrayList<>(items.size());
    items.forEach(item -> out.add(String.valueOf(item)));
    return out;
  }

  /** Records a cancel on the job and publishes it to the queue's workers; false when the job has finished. */
  public boolean cancelJob(String jobId, String reason, boolean retry) {
    if (jobId == null || jobId.isEmpty()) {
      throw new InvalidOptionException("jobId", jobId, "must be a non-empty string");
    }
    String why = reason == null || reason.isEmpty() ? "cancelled" : reason;
    Object reply = scripts.run(Script.CANCEL_JOB, List.of(keys.jobKey(jobId), keys.completed(), keys.failed()),
        List.of(jobId, why, retry ? "1" : "0", keys.cancelChannel()));
    return ScriptErrors.check(reply, keys.queueName(), jobId, "cancelJob") == 1;
  }


  public static void requireId(String jobId) {
    if (jobId == null || jobId.isEmpty()) {
      throw new InvalidOptionException("jobId", jobId, "must be a non-empty job id");
    }
  }
}
