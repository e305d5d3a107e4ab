package io.bullpen.redis.internal.job;

import io.bullpen.DependencyCounts;
import io.bullpen.DependencyPage;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobDependencies;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.LockLostException;
import io.bullpen.StoredText;
import io.bullpen.TimeLimits;
import io.bullpen.redis.internal.codec.Payloads;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.ChildrenPendingException;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.script.ScriptErrors;
import io.bullpen.redis.internal.script.ScriptRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The job-level Redis operations of one queue, each one atomic script. Used by the jobs a Queue returns and by
 * the jobs a Worker hands to processors.
 */
public final class RedisJobBackend implements JobBackend {
  private final QueueKeys keys;
  private final QueueScripts scripts;
  private final Clock clock;
  private final Payloads payloads;

  /** A backend with the default payload limit. */
  public RedisJobBackend(QueueKeys keys, ScriptRunner scripts, long timeoutMillis, Clock clock) {
    this(keys, scripts, timeoutMillis, clock, Payloads.defaults());
  }

  public RedisJobBackend(QueueKeys keys, ScriptRunner scripts, long timeoutMillis, Clock clock, Payloads payloads) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.scripts = new QueueScripts(keys, scripts, timeoutMillis);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.payloads = Objects.requireNonNull(payloads, "payloads");
  }

  @Override
  public Payloads payloads() {
    return payloads;
  }

  public QueueKeys keys() {
    return keys;
  }

  @Override
  public String queueQualifiedName() {
    return keys.qualifiedName();
  }

  /** The job's hash, or empty when it does not exist; the job's actions go through {@code handle}. */
  public Call<Optional<Job>> getJob(String jobId, JobBackend handle) {
    requireId(jobId);
    return scripts.call("getJob", () -> scripts.commands().hgetall(keys.jobKey(jobId)))
        .map(fields -> fields == null || fields.isEmpty() ? Optional.<Job>empty()
            : Optional.<Job>of(new RedisJob(jobId, keys.queueName(), fields, handle, null)));
  }

  @Override
  public Call<Void> updateProgress(String jobId, String progressJson) {
    requireId(jobId);
    return checked("updateProgress", jobId, () -> scripts.run(Script.UPDATE_PROGRESS,
        List.of(keys.jobKey(jobId), keys.events(), keys.meta()), List.of(jobId, progressJson))).map(code -> null);
  }

  @Override
  public Call<Long> addLog(String jobId, String line, Integer keepLogs) {
    requireId(jobId);
    if (line == null) {
      throw new InvalidOptionException("line", null, "a log line must not be null");
    }
    StoredText.requireWellFormed("line", line);
    if (keepLogs != null && keepLogs < 0) {
      throw new InvalidOptionException("keepLogs", keepLogs, "must be >= 0");
    }
    return checked("addLog", jobId, () -> scripts.run(Script.ADD_LOG, List.of(keys.jobKey(jobId), keys.logsKey(jobId)),
        List.of(line, keepLogs == null ? "" : keepLogs.toString())));
  }

  /** Appends {@code lines} in order in one script call (a worker's buffered logs) and waits. */
  public long addLogs(String jobId, List<String> lines, Integer keepLogs) {
    requireId(jobId);
    List<String> args = new ArrayList<>(lines.size() + 1);
    args.add(keepLogs == null ? "" : keepLogs.toString());
    args.addAll(lines);
    return checked("addLogs", jobId,
        () -> scripts.run(Script.ADD_LOGS, List.of(keys.jobKey(jobId), keys.logsKey(jobId)), args)).join();
  }

  @Override
  public Call<Void> extendLock(String jobId, String token, Duration duration) {
    requireId(jobId);
    if (token == null || token.isEmpty()) {
      throw new InvalidOptionException("token", token, "must be the lock token the job was fetched with");
    }
    long millis = TimeLimits.requireMillis("duration", duration, 1);
    return scripts.call("extendLock", () -> scripts.run(Script.EXTEND_LOCK, List.of(keys.lockKey(jobId),
        keys.stalled()), List.of(token, Long.toString(millis), jobId))).map(reply -> {
          long code = QueueScripts.number(reply, "extendLock");
          if (code == ScriptErrors.LOCK_MISSING) {
            throw new LockLostException(keys.queueName(), jobId, "extendLock",
                "the lock is missing (expired or released)");
          }
          if (code == ScriptErrors.LOCK_MISMATCH) {
            throw new LockLostException(keys.queueName(), jobId, "extendLock", "the lock is held by another worker");
          }
          ScriptErrors.check(reply, keys.queueName(), jobId, "extendLock");
          return null;
        });
  }

  @Override
  public Call<Void> updateData(String jobId, String dataJson) {
    requireId(jobId);
    payloads.requireWithin("data", Objects.requireNonNull(dataJson, "dataJson"), null);
    return checked("updateData", jobId,
        () -> scripts.run(Script.UPDATE_DATA, List.of(keys.jobKey(jobId)), List.of(dataJson))).map(code -> null);
  }

  @Override
  public Call<JobState> getState(String jobId) {
    requireId(jobId);
    return scripts.call("getState", () -> scripts.run(Script.GET_STATE,
        List.of(keys.completed(), keys.failed(), keys.delayed(), keys.prioritized(), keys.active(),
            keys.waitList(), keys.paused(), keys.waitingChildren()),
        List.of(jobId))).map(reply -> JobState.fromWireName(String.valueOf(reply)));
  }

  @Override
  public Call<Void> reprocess(String jobId) {
    requireId(jobId);
    return scripts.call("retry", () -> scripts.run(Script.REPROCESS,
        List.of(keys.jobKey(jobId), keys.events(), keys.failed(), keys.completed(), keys.waitList(), keys.meta(),
            keys.active(), keys.marker()),
        List.of(jobId))).map(reply -> {
          if (reply instanceof Long) {
            ScriptErrors.check(reply, keys.queueName(), jobId, "retry");
          }
          return null;
        });
  }

  @Override
  public Call<Boolean> remove(String jobId) {
    requireId(jobId);
    return scripts.call("remove", () -> scripts.run(Script.REMOVE_JOB, List.of(keys.jobKey(jobId)),
        List.of(keys.keyPrefix(), jobId))).map(reply -> {
          if (reply instanceof List) {
            return false; // the job or a descendant is locked by a worker
          }
          return ScriptErrors.check(reply, keys.queueName(), jobId, "remove") == 1;
        });
  }

  @Override
  public Call<Void> promote(String jobId) {
    requireId(jobId);
    return checked("promote", jobId, () -> scripts.run(Script.PROMOTE,
        List.of(keys.delayed(), keys.waitList(), keys.meta(), keys.prioritized(), keys.active(),
            keys.priorityCounter(), keys.events(), keys.marker(), keys.jobKey(jobId)),
        List.of(jobId))).map(code -> null);
  }

  /** Re-places a waiting job by its new priority; other states only get the field. */
  public Call<Void> changePriority(String jobId, int priority, boolean lifo) {
    requireId(jobId);
    if (priority < 0 || priority > JobOptions.MAX_PRIORITY) {
      throw new InvalidOptionException("priority", priority, "must be between 0 and " + JobOptions.MAX_PRIORITY);
    }
    return checked("changePriority", jobId, () -> scripts.run(Script.CHANGE_PRIORITY,
        List.of(keys.waitList(), keys.paused(), keys.meta(), keys.prioritized(), keys.active(),
            keys.priorityCounter(), keys.marker(), keys.jobKey(jobId)),
        List.of(jobId, Integer.toString(priority), lifo ? "1" : "0"))).map(code -> null);
  }

  /** Gives a delayed job a new delay counted from now (the injected clock). */
  public Call<Void> changeDelay(String jobId, long delayMillis) {
    requireId(jobId);
    TimeLimits.requireMillis("delay", delayMillis, 0);
    long now = clock.millis();
    TimeLimits.requireDueBy("delay", delayMillis, now);
    return checked("changeDelay", jobId, () -> scripts.run(Script.CHANGE_DELAY,
        List.of(keys.delayed(), keys.meta(), keys.marker(), keys.events(), keys.jobKey(jobId)),
        List.of(jobId, Long.toString(delayMillis), Long.toString(now)))).map(code -> null);
  }

  /** Records a cancel on the job and publishes it to the queue's workers; false when the job has finished. */
  public Call<Boolean> cancelJob(String jobId, String reason, boolean retry) {
    requireId(jobId);
    String why = reason == null || reason.isEmpty() ? "cancelled" : reason;
    return checked("cancelJob", jobId, () -> scripts.run(Script.CANCEL_JOB,
        List.of(keys.jobKey(jobId), keys.completed(), keys.failed()),
        List.of(jobId, why, retry ? "1" : "0", keys.cancelChannel()))).map(code -> code == 1);
  }

  @Override
  public Call<Map<String, String>> getChildrenValues(String jobId) {
    requireId(jobId);
    return scripts.call("getChildrenValues", () -> scripts.commands().hgetall(keys.processedKey(jobId)));
  }

  @Override
  public Call<Map<String, String>> getIgnoredFailures(String jobId) {
    requireId(jobId);
    return scripts.call("getFailedChildrenValues", () -> scripts.commands().hgetall(keys.ignoredFailuresKey(jobId)));
  }

  @Override
  public Call<JobDependencies> getDependencies(String jobId, DependencyPage page) {
    requireId(jobId);
    List<String> args = page == null
        ? List.of("all", "all", "all", "all", "1")
        : List.of(cursorArg(page.processed()), cursorArg(page.pending()), cursorArg(page.failed()),
            cursorArg(page.ignored()), Integer.toString(page.count()));
    return scripts.call("getDependencies",
        () -> scripts.run(Script.GET_DEPENDENCIES, List.of(keys.jobKey(jobId)), args)).map(answer -> {
          List<Object> reply = QueueScripts.list(answer, "getDependencies");
          Map<String, String> processed =
              RedisJob.fieldsFromFlatList(QueueScripts.list(reply.get(0), "getDependencies"));
          Map<String, String> ignored =
              RedisJob.fieldsFromFlatList(QueueScripts.list(reply.get(6), "getDependencies"));
          Optional<DependencyPage> next = page == null ? Optional.empty() : nextPage(page.count(), reply);
          return new JobDependencies(processed, strings(reply.get(2)), strings(reply.get(4)), ignored, next);
        });
  }

  @Override
  public Call<DependencyCounts> getDependencyCounts(String jobId) {
    requireId(jobId);
    return scripts.call("getDependenciesCount",
        () -> scripts.run(Script.GET_DEPENDENCY_COUNTS, List.of(keys.jobKey(jobId)), List.of())).map(reply -> {
          List<Object> counts = QueueScripts.list(reply, "getDependencyCounts");
          return new DependencyCounts(QueueScripts.number(counts.get(0), "getDependencyCounts"),
              QueueScripts.number(counts.get(1), "getDependencyCounts"),
              QueueScripts.number(counts.get(2), "getDependencyCounts"),
              QueueScripts.number(counts.get(3), "getDependencyCounts"));
        });
  }

  @Override
  public Call<Boolean> moveToWaitingChildren(String jobId, String token, String childKey) {
    requireId(jobId);
    if (token == null || token.isEmpty()) {
      throw new InvalidOptionException("token", token, "must be the lock token the job was fetched with");
    }
    return scripts.call("moveToWaitingChildren", () -> scripts.run(Script.MOVE_TO_WAITING_CHILDREN,
        List.of(keys.active(), keys.waitingChildren(), keys.stalled(), keys.events(), keys.jobKey(jobId)),
        List.of(jobId, token, childKey == null ? "" : childKey, Long.toString(clock.millis())))).map(reply -> {
          if (reply instanceof Long code && code == ScriptErrors.FAILED_CHILDREN) {
            // As in BullMQ this is final: the worker fails the job without using its remaining attempts.
            throw new ChildrenPendingException(keys.queueName(), jobId, true, "moveToWaitingChildren");
          }
          return ScriptErrors.check(reply, keys.queueName(), jobId, "moveToWaitingChildren") == 0;
        });
  }

  @Override
  public Call<Boolean> removeChildDependency(String jobId) {
    requireId(jobId);
    return checked("removeChildDependency", jobId,
        () -> scripts.run(Script.REMOVE_CHILD_DEPENDENCY, List.of(keys.jobKey(jobId)), List.of()))
        .map(code -> code == 0);
  }

  /** A script call whose reply is a code: negative codes become Bullpen's exceptions. */
  private Call<Long> checked(String operation, String jobId,
      Supplier<CompletableFuture<Object>> send) {
    return scripts.call(operation, send).map(reply -> ScriptErrors.check(reply, keys.queueName(), jobId, operation));
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

  private static String cursorArg(OptionalLong cursor) {
    return cursor.isPresent() ? Long.toString(cursor.getAsLong()) : "";
  }

  private static List<String> strings(Object reply) {
    List<Object> items = QueueScripts.list(reply, "getDependencies");
    List<String> out = new ArrayList<>(items.size());
    items.forEach(item -> out.add(String.valueOf(item)));
    return out;
  }

  /** See {@link QueueKeys#requireJobId}. */
  public static void requireId(String jobId) {
    QueueKeys.requireJobId("jobId", jobId);
  }
}
