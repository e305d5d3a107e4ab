package io.bullpen.redis.internal.script;

import java.util.List;

/**
 * Every Lua entry script of Bullpen, with the number of keys it takes. The one place script names are spelled:
 * callers pass a constant, never a string, and {@link ScriptRunner} refuses a key list of the wrong length
 * before anything is sent. A test checks each constant against the {@code KEYS} header of its file and that
 * every file under {@code lua/} has a constant.
 */
public enum Script {
  /** Takes the meta key of every queue its nodes live in. */
  ADD_FLOW("addFlow", -1),
  ADD_JOBS("addJobs", 9),
  ADD_LOG("addLog", 2),
  ADD_LOGS("addLogs", 2),
  ADD_NEXT_SCHEDULER_ITERATION("addNextSchedulerIteration", 10),
  CANCEL_JOB("cancelJob", 3),
  CHANGE_DELAY("changeDelay", 5),
  CHANGE_PRIORITY("changePriority", 8),
  CHECK_JOBS("checkJobs", 8, Kind.READ_ONLY),
  CLAIM_JOBS("claimJobs", 10),
  CLEAN("clean", 2),
  DRAIN("drain", 4),
  EXTEND_LOCK("extendLock", 2),
  EXTEND_LOCKS("extendLocks", 1),
  FIND_JOBS_LOCKED_BY("findJobsLockedBy", 1, Kind.READ_ONLY),
  GET_COUNTS("getCounts", 8, Kind.READ_ONLY),
  GET_DEPENDENCIES("getDependencies", 1, Kind.READ_ONLY),
  GET_DEPENDENCY_COUNTS("getDependencyCounts", 1, Kind.READ_ONLY),
  GET_FINISHED_STATE("getFinishedState", 3, Kind.READ_ONLY),
  GET_FLOW("getFlow", 1),
  GET_JOB_SCHEDULERS("getJobSchedulers", 1, Kind.READ_ONLY),
  GET_JOBS("getJobs", 8, Kind.READ_ONLY),
  GET_LOGS("getLogs", 1, Kind.READ_ONLY),
  GET_METRICS("getMetrics", 2, Kind.READ_ONLY),
  GET_RATE_LIMIT_TTL("getRateLimitTtl", 2, Kind.READ_ONLY),
  GET_STATE("getState", 8, Kind.READ_ONLY),
  MOVE_JOB_FROM_ACTIVE_TO_WAIT("moveJobFromActiveToWait", 11),
  MOVE_JOBS_TO_WAIT("moveJobsToWait", 6),
  MOVE_STALLED_JOBS_TO_WAIT("moveStalledJobsToWait", 12),
  MOVE_TO_ACTIVE("moveToActive", 10),
  MOVE_TO_DELAYED("moveToDelayed", 11),
  MOVE_TO_FINISHED("moveToFinished", 12),
  MOVE_TO_WAITING_CHILDREN("moveToWaitingChildren", 5),
  OBLITERATE("obliterate", 2),
  PAUSE("pause", 3),
  /** Runs only as an EVAL script: it checks the rights that path needs, the one every server offers. */
  PROBE_RIGHTS("probeRights", 1, Kind.EVAL_ONLY),
  PROMOTE("promote", 9),
  PROMOTE_DELAYED_JOBS("promoteDelayedJobs", 10),
  REMOVE_CHILD_DEPENDENCY("removeChildDependency", 1),
  REMOVE_DELAYED_JOB("removeDelayedJob", 4),
  REMOVE_JOB("removeJob", 1),
  REMOVE_JOB_SCHEDULER("removeJobScheduler", 3),
  REPAIR_INTEGRITY("repairIntegrity", 9),
  REPLAY_DEAD_LETTERS("replayDeadLetters", 9),
  REPROCESS("reprocess", 8),
  RESUME("resume", 8),
  RETRY_JOB("retryJob", 11),
  SETTLE_JOBS("settleJobs", 12),
  TRIGGER_JOB_SCHEDULER("triggerJobScheduler", 10),
  UPDATE_DATA("updateData", 1),
  UPDATE_PROGRESS("updateProgress", 3),
  UPSERT_JOB_SCHEDULER("upsertJobScheduler", 10);

  /** The key count of a script that takes a key per queue it touches (flows across queues). */
  public static final int VARIABLE_KEYS = -1;

  /** How a script may run besides as an EVAL script. */
  enum Kind {
    /** As a function that may write. */
    WRITES,
    /** As a function flagged {@code no-writes}: it never writes. */
    READ_ONLY,
    /** Never as a function. */
    EVAL_ONLY
  }

  private final String fileName;
  private final int keyCount;
  private final Kind kind;

  Script(String fileName, int keyCount) {
    this(fileName, keyCount, Kind.WRITES);
  }

  Script(String fileName, int keyCount, Kind kind) {
    this.fileName = fileName;
    this.keyCount = keyCount;
    this.kind = kind;
  }

  /** The script's file under {@code /io/bullpen/redis/lua/}, without {@code .lua}. */
  public String fileName() {
    return fileName;
  }

  /** The number of KEYS the script takes, or {@link #VARIABLE_KEYS}. */
  public int keyCount() {
    return keyCount;
  }

  /** Whether the script is part of {@link FunctionLibrary} and may run with FCALL. */
  public boolean runsAsFunction() {
    return kind != Kind.EVAL_ONLY;
  }

  /** Whether the script never writes (its function carries the {@code no-writes} flag). */
  public boolean readOnly() {
    return kind == Kind.READ_ONLY;
  }

  /** The expanded source and its SHA-1, loaded on first use. */
  public LuaScript lua() {
    return LuaScript.named(fileName);
  }

  /** Throws when {@code keys} does not have this script's key count: a bug in the caller, never user input. */
  void checkKeys(List<String> keys) {
    if (keyCount != VARIABLE_KEYS && keys.size() != keyCount) {
      throw new IllegalStateException(fileName + " takes " + keyCount + " keys, was given " + keys.size());
    }
  }
}
