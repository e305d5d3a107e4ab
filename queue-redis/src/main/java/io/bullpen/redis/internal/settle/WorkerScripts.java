package io.bullpen.redis.internal.settle;

import io.bullpen.BullpenException;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobStateException;
import io.bullpen.KeepJobs;
import io.bullpen.Limiter;
import io.bullpen.LockLostException;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.ChildrenPendingException;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.script.ScriptErrors;
import io.bullpen.redis.internal.script.ScriptRunner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's Lua scripts, called with BullMQ's key layout. Every method blocks for at most the command
 * timeout and throws Bullpen exceptions; the script error codes of §4.0 become {@link JobNotFoundException},
 * {@link LockLostException} and {@link JobStateException}.
 */
public final class WorkerScripts {
  private static final Script MOVE_TO_ACTIVE = Script.MOVE_TO_ACTIVE;
  private static final Script MOVE_TO_FINISHED = Script.MOVE_TO_FINISHED;
  private static final Script MOVE_TO_DELAYED = Script.MOVE_TO_DELAYED;
  private static final Script RETRY_JOB = Script.RETRY_JOB;
  private static final Script MOVE_ACTIVE_TO_WAIT = Script.MOVE_JOB_FROM_ACTIVE_TO_WAIT;
  private static final Script EXTEND_LOCKS = Script.EXTEND_LOCKS;
  private static final Script FIND_JOBS_LOCKED_BY = Script.FIND_JOBS_LOCKED_BY;

  private final QueueKeys keys;
  private final ScriptRunner runner;
  private final long timeoutMillis;
  private final long lockDurationMillis;
  private final Limiter limiter;
  private final String workerName;
  private final List<String> queueKeys;
  private final String metricsMaxDataPoints;

  public WorkerScripts(QueueKeys keys, ScriptRunner runner, long timeoutMillis, long lockDurationMillis,
      Limiter limiter, String workerName) {
    this(keys, runner, timeoutMillis, lockDurationMillis, limiter, workerName, 0);
  }

  /** @param metricsMaxDataPoints BullMQ's metrics of finished jobs, kept for this many minutes; 0: none */
  public WorkerScripts(QueueKeys keys, ScriptRunner runner, long timeoutMillis, long lockDurationMillis,
      Limiter limiter, String workerName, int metricsMaxDataPoints) {
    this.metricsMaxDataPoints = Integer.toString(metricsMaxDataPoints);
    this.keys = keys;
    this.runner = runner;
    this.timeoutMillis = timeoutMillis;
    this.lockDurationMillis = lockDurationMillis;
    this.limiter = limiter;
    this.workerName = workerName == null ? "" : workerName;
    this.queueKeys = keys.workerKeys();
  }

  public QueueKeys keys() {
    return keys;
  }

  /** Takes the next runnable job, locked with {@code token}. */
  public FetchResult moveToActive(String token, long now) {
    List<String> args = new ArrayList<>(List.of(keys.keyPrefix(), Long.toString(now)));
    addFetchOptions(args, token);
    return FetchResult.parse(call(MOVE_TO_ACTIVE, queueKeys, args, "moveToActive"));
  }

  /**
   * Completes the active job, or fails it finally, and optionally fetches the next one.
   *
   * @param token the lock token this job is held with
   * @param nextToken the lock token for the next job (used only when {@code fetchNext})
   * @param extraFields field/value pairs written on the job first (e.g. {@code stacktrace})
   * @return the next job (or why there is none) when {@code fetchNext}, else {@link FetchResult#nothing()}
   */
  public FetchResult moveToFinished(String jobId, String token, String nextToken, boolean completed, String value,
      KeepJobs keep, int attempts, boolean fetchNext, long now, List<String> extraFields) {
    String operation = completed ? "moveToFinished(completed)" : "moveToFinished(failed)";
    List<String> keyList = withJob(jobId, keys.finishedSet(completed));
    List<String> args = new ArrayList<>(List.of(jobId, Long.toString(now),
        completed ? "returnvalue" : "failedReason", value, completed ? "completed" : "failed",
        fetchNext ? "1" : "0", keys.keyPrefix(), token));
    addFetchOptions(args, nextToken);
    args.add(Long.toString(keep.count()));
    args.add(Long.toString(keep.ageSeconds()));
    args.add(Long.toString(keep.limit()));
    args.add(Integer.toString(attempts));
    args.add(metricsMaxDataPoints);
    args.addAll(extraFields);
    Object reply = call(MOVE_TO_FINISHED, keyList, args, operation);
    checkCode(reply, jobId, operation);
    return FetchResult.parse(reply);
  }

  /** Moves the active job to delayed for {@code delayMillis}, consuming an attempt; optionally fetches the next. */
  public FetchResult moveToDelayed(String jobId, String token, String nextToken, long delayMillis, boolean fetchNext,
      long now, List<String> extraFields) {
    List<String> args = new ArrayList<>(List.of(keys.keyPrefix(), Long.toString(now), jobId,
        Long.toString(delayMillis), "0", fetchNext ? "1" : "0", token));
    addFetchOptions(args, nextToken);
    args.addAll(extraFields);
    Object reply = call(MOVE_TO_DELAYED, withJob(jobId), args, "moveToDelayed");
    checkCode(reply, jobId, "moveToDelayed");
    return FetchResult.parse(reply);
  }

  /** Puts the active job back to wait at once, consuming an attempt. */
  public void retryJob(String jobId, String token, boolean lifo, long now, List<String> extraFields) {
    List<String> args = new ArrayList<>(List.of(keys.keyPrefix(), Long.toString(now), jobId, token,
        lifo ? "1" : "0"));
    args.addAll(extraFields);
    checkCode(call(RETRY_JOB, withJob(jobId), args, "retryJob"), jobId, "retryJob");
  }

  /** Returns a rate-limited job to the front of wait without consuming an attempt; returns the limiter ttl. */
  public long moveJobFromActiveToWait(String jobId, String token) {
    Object reply = call(MOVE_ACTIVE_TO_WAIT, withJob(jobId), List.of(jobId, token), "moveJobFromActiveToWait");
    checkCode(reply, jobId, "moveJobFromActiveToWait");
    return reply instanceof Long ttl ? Math.max(0, ttl) : 0;
  }

  /** The active jobs locked with one of {@code tokens}, as job id to token (scans {@code active}: a rare call). */
  public Map<String, String> findJobsLockedBy(Collection<String> tokens) {
    List<String> args = new ArrayList<>(1 + tokens.size());
    args.add(keys.keyPrefix());
    args.addAll(tokens);
    List<String> flat = stringList(call(FIND_JOBS_LOCKED_BY, List.of(keys.active()), args, "findJobsLockedBy"));
    Map<String, String> found = new LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      found.put(flat.get(i), flat.get(i + 1));
    }
    return found;
  }

  /** Renews the locks of {@code tokensById}; returns the ids whose lock was gone or taken. */
  public List<String> extendLocks(Map<String, String> tokensById, long durationMillis) {
    List<String> args = new ArrayList<>(2 + tokensById.size() * 2);
    args.add(keys.keyPrefix());
    args.add(Long.toString(durationMillis));
    tokensById.forEach((id, token) -> {
      args.add(id);
      args.add(token);
    });
    return stringList(call(EXTEND_LOCKS, List.of(keys.stalled()), args, "extendLocks"));
  }

  /** Blocks every worker that has a rate limit for {@code millis} (BullMQ's manual rate limit). */
  public void rateLimit(long millis) {
    RedisCalls.await(runner.commands().psetex(keys.limiter(), millis, QueueKeys.LIMITER_SATURATED), timeoutMillis,
        "rateLimit");
  }

  private void addFetchOptions(List<String> args, String token) {
    args.add(token);
    args.add(Long.toString(lockDurationMillis));
    args.add(limiter == null ? "" : Integer.toString(limiter.max()));
    args.add(limiter == null ? "" : Long.toString(limiter.durationMillis()));
    args.add(workerName);
  }

  private List<String> withJob(String jobId, String... more) {
    List<String> keyList = new ArrayList<>(queueKeys.size() + 1 + more.length);
    keyList.addAll(queueKeys);
    keyList.addAll(List.of(more));
    keyList.add(keys.jobKey(jobId));
    return keyList;
  }

  private Object call(Script script, List<String> keyList, List<String> args, String operation) {
    return RedisCalls.await(runner.run(script, keyList, args), timeoutMillis, operation + " on " + keys);
  }

  private void checkCode(Object reply, String jobId, String operation) {
    if (reply instanceof Long code) {
      checkCode(code.longValue(), jobId, operation);
    }
  }

  /**
   * Throws the exception for a negative script code (spec §4.0); shared with the batched completions. A move
   * that an earlier send of the same call made already ({@link ScriptErrors#ALREADY_MOVED}) is a success.
   */
  public void checkCode(long code, String jobId, String operation) {
    if (ScriptErrors.moved(code)) {
      return;
    }
    String queue = keys.queueName();
    switch ((int) code) {
      case -1:
        throw new JobNotFoundException(queue, jobId, operation);
      case -2:
        throw new LockLostException(queue, jobId, operation, "the lock is missing (it expired or was released)");
      case -6:
        throw new LockLostException(queue, jobId, operation, "another worker holds the lock");
      case -3:
        throw new JobStateException(queue, jobId, "is not active (" + operation + ")");
      case -4:
        throw new ChildrenPendingException(queue, jobId, false);
      case -9:
        throw new ChildrenPendingException(queue, jobId, true);
      default:
        throw new BullpenException(operation + " on " + keys + " failed with code " + code + " for job " + jobId);
    }
  }

  private static List<String> stringList(Object reply) {
    if (!(reply instanceof List<?> list)) {
      return List.of();
    }
    List<String> ids = new ArrayList<>(list.size());
    for (Object item : list) {
      ids.add(String.valueOf(item));
    }
    return ids;
  }
}
