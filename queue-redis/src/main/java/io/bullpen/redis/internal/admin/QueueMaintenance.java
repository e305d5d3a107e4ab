package io.bullpen.redis.internal.admin;

import io.bullpen.BullpenException;
import io.bullpen.InvalidOptionException;
import io.bullpen.TimeLimits;
import io.bullpen.JobState;
import io.bullpen.JobStateException;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.AsyncLoop;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.Script;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Queue-wide operations: pause, resume, drain, clean, obliterate and the bulk moves to wait. */
public final class QueueMaintenance {
  /** BullMQ's per-call bound for clean. */
  static final int CLEAN_BATCH = 10_000;
  static final int OBLITERATE_SCAN_COUNT = 1000;

  private final QueueScripts scripts;
  private final QueueKeys keys;
  private final Clock clock;

  public QueueMaintenance(QueueScripts scripts, Clock clock) {
    this.scripts = scripts;
    this.keys = scripts.keys();
    this.clock = clock;
  }

  public Call<Void> pause() {
    return scripts.call("pause", () -> scripts.run(Script.PAUSE, List.of(keys.meta(), keys.marker(), keys.events()),
        List.of())).map(reply -> null);
  }

  /** Resumes; answers how many ids were moved from a legacy BullMQ 5 {@code paused} list. */
  public Call<Long> resume() {
    return scripts.call("resume", () -> scripts.run(Script.RESUME,
        List.of(keys.meta(), keys.waitList(), keys.paused(), keys.prioritized(), keys.delayed(), keys.active(),
            keys.marker(), keys.events()),
        List.of())).map(reply -> QueueScripts.number(reply, "resume"));
  }

  /** Deletes every job not yet started (and delayed ones when asked); answers how many were deleted. */
  public Call<Long> drain(boolean includeDelayed) {
    return scripts.call("drain", () -> scripts.run(Script.DRAIN,
        List.of(keys.waitList(), keys.paused(), keys.prioritized(), keys.delayed()),
        List.of(keys.keyPrefix(), includeDelayed ? "1" : "0"))).map(reply -> QueueScripts.number(reply, "drain"));
  }

  /**
   * Deletes up to {@code limit} jobs (0 = no limit) of {@code state} older than {@code grace}; one script call
   * per batch of at most {@value #CLEAN_BATCH}.
   */
  public Call<List<String>> clean(Duration grace, int limit, JobState state) {
    long graceMillis = TimeLimits.requireMillis("grace", grace, 0);
    if (limit < 0) {
      throw new InvalidOptionException("limit", limit, "must be >= 0 (0 means no limit)");
    }
    if (state == null) {
      throw new InvalidOptionException("state", null, "must be one of COMPLETED, FAILED, WAITING, ACTIVE, "
          + "DELAYED, PRIORITIZED");
    }
    String stateKey;
    String stateName;
    switch (state) {
      case COMPLETED -> { stateKey = keys.completed(); stateName = "completed"; }
      case FAILED -> { stateKey = keys.failed(); stateName = "failed"; }
      case WAITING -> { stateKey = keys.waitList(); stateName = "wait"; }
      case ACTIVE -> { stateKey = keys.active(); stateName = "active"; }
      case DELAYED -> { stateKey = keys.delayed(); stateName = "delayed"; }
      case PRIORITIZED -> { stateKey = keys.prioritized(); stateName = "prioritized"; }
      default -> throw new InvalidOptionException("state", state, "clean supports COMPLETED, FAILED, WAITING, "
          + "ACTIVE, DELAYED and PRIORITIZED");
    }
    return scripts.longCall("clean", () -> {
      long cutoff = clock.millis() - graceMillis;
      List<String> deleted = new ArrayList<>();
      CompletableFuture<Void> main = AsyncLoop.whileTrue(() -> {
        int batch = limit == 0 ? CLEAN_BATCH : Math.min(CLEAN_BATCH, limit - deleted.size());
        return cleanBatch(stateKey, stateName, cutoff, batch).thenApply(ids -> {
          deleted.addAll(ids);
          return ids.size() == batch && (limit == 0 || deleted.size() < limit);
        });
      });
      // A waiting job may also sit in a list a BullMQ 5 writer left behind while paused.
      return main.thenCompose(done -> {
        if (state != JobState.WAITING || (limit != 0 && deleted.size() >= limit)) {
          return CompletableFuture.completedFuture(deleted);
        }
        int batch = limit == 0 ? CLEAN_BATCH : limit - deleted.size();
        return scripts.commands().exists(keys.paused()).toCompletableFuture().thenCompose(n -> n > 0
            ? cleanBatch(keys.paused(), "paused", cutoff, batch)
            : CompletableFuture.completedFuture(List.<String>of())).thenApply(legacy -> {
              deleted.addAll(legacy);
              return deleted;
            });
      });
    });
  }

  private CompletableFuture<List<String>> cleanBatch(String stateKey, String stateName, long cutoff, int batch) {
    return scripts.run(Script.CLEAN, List.of(stateKey, keys.events()),
        List.of(keys.keyPrefix(), Long.toString(cutoff), Integer.toString(batch), stateName)).thenApply(reply -> {
          List<String> ids = new ArrayList<>();
          QueueScripts.list(reply, "clean").forEach(id -> ids.add(String.valueOf(id)));
          return ids;
        });
  }

  /**
   * Deletes every key of the queue, batch by batch. The caller has paused the queue. Without {@code force} it
   * refuses (deleting nothing) while a job is active.
   */
  public Call<Void> obliterate(boolean force) {
    String pattern = globEscape(keys.keyPrefix()) + "*";
    return scripts.longCall("obliterate", () -> {
      String[] cursor = {"0"};
      return AsyncLoop.whileTrue(() -> scripts.run(Script.OBLITERATE, List.of(keys.meta(), keys.active()),
          List.of(pattern, cursor[0], Integer.toString(OBLITERATE_SCAN_COUNT), force ? "1" : "0")).thenApply(answer -> {
            List<Object> reply = QueueScripts.list(answer, "obliterate");
            long code = QueueScripts.number(reply.get(0), "obliterate");
            if (code == -1) {
              throw new BullpenException("obliterate of queue " + keys.queueName()
                  + " stopped: the queue was resumed while it was being deleted");
            }
            if (code == -2) {
              throw new JobStateException(keys.queueName(), String.valueOf(reply.get(1)),
                  "is active, so the queue cannot be obliterated; stop its workers or pass force = true");
            }
            cursor[0] = String.valueOf(reply.get(1));
            return !"0".equals(cursor[0]);
          }));
    });
  }

  /**
   * Moves failed or completed jobs that finished at or before {@code timestamp} back to wait, {@code count}
   * per script call, until none remain; answers how many moved.
   */
  public Call<Long> retryJobs(JobState state, int count, long timestamp) {
    if (state != JobState.FAILED && state != JobState.COMPLETED) {
      throw new InvalidOptionException("state", state, "retryJobs takes FAILED or COMPLETED");
    }
    if (timestamp < 0) {
      throw new InvalidOptionException("timestamp", timestamp, "must be >= 0 (epoch ms)");
    }
    return moveAllToWait("retryJobs", state == JobState.FAILED ? keys.failed() : keys.completed(), state.wireName(),
        count, Long.toString(timestamp));
  }

  /** Moves every delayed job to wait, {@code count} per script call; answers how many moved. */
  public Call<Long> promoteJobs(int count) {
    return moveAllToWait("promoteJobs", keys.delayed(), "delayed", count, "+inf");
  }

  private Call<Long> moveAllToWait(String what, String sourceKey, String stateName, int count, String maxScore) {
    if (count <= 0) {
      throw new InvalidOptionException("count", count, "must be > 0 (jobs moved per call)");
    }
    return scripts.longCall(what, () -> {
      AtomicLong moved = new AtomicLong();
      return AsyncLoop.whileTrue(() -> scripts.run(Script.MOVE_JOBS_TO_WAIT,
          List.of(sourceKey, keys.waitList(), keys.meta(), keys.active(), keys.marker(), keys.events()),
          List.of(keys.keyPrefix(), Integer.toString(count), maxScore, stateName)).thenApply(answer -> {
            List<Object> reply = QueueScripts.list(answer, "moveJobsToWait");
            moved.addAndGet(QueueScripts.number(reply.get(0), "moveJobsToWait"));
            return QueueScripts.number(reply.get(1), "moveJobsToWait") != 0;
          })).thenApply(done -> moved.get());
    });
  }

  /** Escapes Redis glob characters so a SCAN MATCH pattern matches the text literally. */
  static String globEscape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
