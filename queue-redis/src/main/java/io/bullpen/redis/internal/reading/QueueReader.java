package io.bullpen.redis.internal.reading;

import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.JobLogs;
import io.bullpen.JobMetrics;
import io.bullpen.redis.internal.job.JobBackend;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.job.RedisJobBackend;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.Script;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Read-only queries of one queue: job pages, counts, logs, the paused flag. */
public final class QueueReader {
  /** Every state a job can be found in (all but UNKNOWN), in BullMQ's reporting order. */
  public static final List<JobState> ALL_STATES = List.of(JobState.WAITING, JobState.PRIORITIZED,
      JobState.DELAYED, JobState.ACTIVE, JobState.WAITING_CHILDREN, JobState.COMPLETED, JobState.FAILED);

  private final QueueScripts scripts;
  private final JobBackend handle;

  public QueueReader(QueueScripts scripts, JobBackend handle) {
    this.scripts = scripts;
    this.handle = handle;
  }

  /** Jobs of {@code states} (all when empty), each state paged with the same start/end. */
  public Call<List<Job>> getJobs(Set<JobState> states, long start, long end, boolean asc) {
    checkRange(start, end);
    List<JobState> wanted = validStates(states, "states");
    List<String> args = new ArrayList<>();
    args.add(scripts.keys().keyPrefix());
    args.add(Long.toString(position(start)));
    args.add(Long.toString(position(end)));
    args.add(asc ? "1" : "0");
    wanted.forEach(s -> args.add(s.wireName()));
    return scripts.call("getJobs", () -> scripts.run(Script.GET_JOBS, stateKeys(), args)).map(reply -> {
      List<Object> flat = QueueScripts.list(reply, "getJobs");
      List<Job> jobs = new ArrayList<>(flat.size() / 2);
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        String id = String.valueOf(flat.get(i));
        Map<String, String> fields = RedisJob.fieldsFromFlatList(QueueScripts.list(flat.get(i + 1), "getJobs"));
        jobs.add(new RedisJob(id, scripts.queueName(), fields, handle, null));
      }
      return jobs;
    });
  }

  /** Counts per state, in the order asked (all states when none are given). */
  public Call<Map<JobState, Long>> getJobCounts(JobState... states) {
    List<JobState> wanted = validStates(states == null ? null : java.util.Arrays.asList(states), "states");
    List<String> args = new ArrayList<>(wanted.size());
    wanted.forEach(s -> args.add(s.wireName()));
    return scripts.call("getJobCounts", () -> scripts.run(Script.GET_COUNTS, stateKeys(), args)).map(reply -> {
      List<Object> counts = QueueScripts.list(reply, "getCounts");
      Map<JobState, Long> result = new EnumMap<>(JobState.class);
      for (int i = 0; i < wanted.size(); i++) {
        result.put(wanted.get(i), QueueScripts.number(counts.get(i), "getCounts"));
      }
      return result;
    });
  }

  public Call<JobLogs> getJobLogs(String jobId, long start, long end, boolean asc) {
    RedisJobBackend.requireId(jobId);
    checkRange(start, end);
    return scripts.call("getJobLogs", () -> scripts.run(Script.GET_LOGS, List.of(scripts.keys().logsKey(jobId)),
        List.of(Long.toString(position(start)), Long.toString(position(end)), asc ? "1" : "0"))).map(answer -> {
          List<Object> reply = QueueScripts.list(answer, "getLogs");
          List<String> lines = new ArrayList<>();
          QueueScripts.list(reply.get(1), "getLogs").forEach(line -> lines.add(String.valueOf(line)));
          return new JobLogs(lines, QueueScripts.number(reply.get(0), "getLogs"));
        });
  }

  /** BullMQ's getMetrics: the totals and the points {@code start}..{@code end} (index 0 the latest minute). */
  public Call<JobMetrics> getMetrics(JobMetrics.Type type, long start, long end) {
    if (type == null) {
      throw new InvalidOptionException("type", null, "must be COMPLETED or FAILED");
    }
    checkRange(start, end);
    String hash = scripts.keys().metrics(type.wireName());
    return scripts.call("getMetrics", () -> scripts.run(Script.GET_METRICS, List.of(hash, hash + ":data"),
        List.of(Long.toString(position(start)), Long.toString(position(end))))).map(answer -> {
          List<Object> reply = QueueScripts.list(answer, "getMetrics");
          List<Long> points = new ArrayList<>();
          QueueScripts.list(reply.get(3), "getMetrics").forEach(p -> points.add(parseLong(p)));
          return new JobMetrics(parseLong(reply.get(0)), parseLong(reply.get(1)), parseLong(reply.get(2)), points,
              QueueScripts.number(reply.get(4), "getMetrics"));
        });
  }

  private static long parseLong(Object value) {
    String text = String.valueOf(value);
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      // Another writer may have stored a float (Lua numbers); BullMQ reads such values with parseInt.
      return (long) Double.parseDouble(text);
    }
  }

  public Call<Boolean> isPaused() {
    return scripts.call("isPaused", () -> scripts.commands().hexists(scripts.keys().meta(), "paused"))
        .map(Boolean.TRUE::equals);
  }

  private List<String> stateKeys() {
    QueueKeys k = scripts.keys();
    return List.of(k.waitList(), k.paused(), k.prioritized(), k.delayed(), k.active(), k.waitingChildren(),
        k.completed(), k.failed());
  }

  /**
   * {@code position} held to 2^50, far beyond the longest list or set Redis keeps (2^32 elements), so that the
   * scripts' Lua numbers (doubles, printed with 17 digits when handed to Redis) stay whole numbers: a larger
   * end means "to the last" all the same, a larger start "nothing".
   */
  private static long position(long position) {
    return Math.min(position, 1L << 50);
  }

  private static void checkRange(long start, long end) {
    if (start < 0) {
      throw new InvalidOptionException("start", start, "must be >= 0");
    }
    if (end < -1 || (end != -1 && end < start)) {
      throw new InvalidOptionException("end", end, "must be >= start (" + start + ") or -1 for the last");
    }
  }

  private static List<JobState> validStates(Collection<JobState> states, String field) {
    if (states == null || states.isEmpty()) {
      return ALL_STATES;
    }
    EnumSet<JobState> set = EnumSet.noneOf(JobState.class);
    for (JobState state : states) {
      if (state == null || state == JobState.UNKNOWN) {
        throw new InvalidOptionException(field, state, "must be states a job can be in (not null or UNKNOWN)");
      }
      set.add(state);
    }
    List<JobState> ordered = new ArrayList<>(set.size());
    for (JobState state : ALL_STATES) {
      if (set.contains(state)) {
        ordered.add(state);
      }
    }
    return ordered;
  }
}
