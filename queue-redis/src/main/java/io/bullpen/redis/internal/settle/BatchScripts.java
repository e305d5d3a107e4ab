package io.bullpen.redis.internal.settle;

import io.bullpen.BullpenException;
import io.bullpen.Limiter;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.script.ScriptRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The scripts that move many jobs per call: {@code claimJobs} (up to N jobs to active) and {@code settleJobs}
 * (complete, fail, retry, return or extend many active jobs, each under its own lock check, and claim
 * successors in the same step). Shared by the lease API, the batch worker and the per-job worker.
 */
public final class BatchScripts {
  private static final Script CLAIM_JOBS = Script.CLAIM_JOBS;
  private static final Script SETTLE_JOBS = Script.SETTLE_JOBS;

  private final QueueKeys keys;
  private final ScriptRunner runner;
  private final long timeoutMillis;
  private final String limiterMax;
  private final String limiterDuration;
  private final String workerName;
  private final List<String> claimKeys;
  private final List<String> settleKeys;
  private final String metricsMaxDataPoints;

  /**
   * @param limiter the worker's own rate limit, or null (the queue's meta {@code max} applies either way)
   * @param workerName written as {@code pb} on claimed jobs, or null
   */
  public BatchScripts(QueueKeys keys, ScriptRunner runner, long timeoutMillis, Limiter limiter, String workerName) {
    this(keys, runner, timeoutMillis, limiter, workerName, 0);
  }

  /** @param metricsMaxDataPoints BullMQ's metrics of finished jobs, kept for this many minutes; 0: none */
  public BatchScripts(QueueKeys keys, ScriptRunner runner, long timeoutMillis, Limiter limiter, String workerName,
      int metricsMaxDataPoints) {
    this.metricsMaxDataPoints = Integer.toString(metricsMaxDataPoints);
    this.keys = keys;
    this.runner = runner;
    this.timeoutMillis = timeoutMillis;
    this.limiterMax = limiter == null ? "" : Integer.toString(limiter.max());
    this.limiterDuration = limiter == null ? "" : Long.toString(limiter.durationMillis());
    this.workerName = workerName == null ? "" : workerName;
    this.claimKeys = keys.workerKeys();
    List<String> settle = new ArrayList<>(claimKeys);
    settle.add(keys.completed());
    settle.add(keys.failed());
    this.settleKeys = List.copyOf(settle);
  }

  public QueueKeys keys() {
    return keys;
  }

  public long timeoutMillis() {
    return timeoutMillis;
  }

  /** Plain commands on the scripts' connection (pipelined with them). */
  public io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<String, String> runnerCommands() {
    return runner.commands();
  }

  /** Moves up to {@code max} runnable jobs to active, each locked with {@code token}. */
  public ClaimedJobs claim(String token, int max, long lockDurationMillis, long now) {
    List<String> args = List.of(keys.keyPrefix(), Long.toString(now), Integer.toString(max), token,
        Long.toString(lockDurationMillis), limiterMax, limiterDuration, workerName);
    Object reply = RedisCalls.await(runner.run(CLAIM_JOBS, claimKeys, args), timeoutMillis, "claimJobs on " + keys);
    List<?> tuple = tuple(reply, 3, "claimJobs");
    return ClaimedJobs.parse(tuple.get(0), tuple.get(1), tuple.get(2));
  }

  /** {@link #settleAsync} and wait for it. */
  public Settled settle(List<SettleOp> ops, int extraClaims, String claimToken, long lockDurationMillis, long now) {
    return RedisCalls.await(settleAsync(ops, extraClaims, claimToken, lockDurationMillis, now), timeoutMillis,
        "settleJobs on " + keys);
  }

  /**
   * Runs {@code ops} in one script call, then claims one job per successful op that asked for a successor plus
   * {@code extraClaims}, locked with {@code claimToken}. The future fails like a Lettuce command does.
   */
  public CompletableFuture<Settled> settleAsync(List<SettleOp> ops, int extraClaims, String claimToken,
      long lockDurationMillis, long now) {
    List<String> args = new ArrayList<>(10 + ops.size() * 12);
    args.add(keys.keyPrefix());
    args.add(Long.toString(now));
    args.add(Integer.toString(extraClaims));
    args.add(claimToken);
    args.add(Long.toString(lockDurationMillis));
    args.add(limiterMax);
    args.add(limiterDuration);
    args.add(workerName);
    args.add(metricsMaxDataPoints);
    args.add(Integer.toString(ops.size()));
    for (SettleOp op : ops) {
      op.appendTo(args);
    }
    return runner.run(SETTLE_JOBS, settleKeys, args).thenApply(reply -> {
      List<?> tuple = tuple(reply, 4, "settleJobs");
      List<?> codeList = tuple.get(0) instanceof List<?> l ? l : List.of();
      long[] codes = new long[ops.size()];
      for (int i = 0; i < codes.length && i < codeList.size(); i++) {
        codes[i] = ClaimedJobs.asLong(codeList.get(i));
      }
      return new Settled(codes, ClaimedJobs.parse(tuple.get(1), tuple.get(2), tuple.get(3)));
    });
  }

  private static List<?> tuple(Object reply, int size, String operation) {
    if (reply instanceof List<?> list && list.size() >= size) {
      return list;
    }
    throw new BullpenException(operation + " returned " + reply + " where a " + size + "-element list was expected");
  }

  /** What {@code settleJobs} answered: a code per op (0 = done, else a script error code) and the claimed jobs. */
  public record Settled(long[] codes, ClaimedJobs claimed) {}
}
