package io.bullpen.redis.internal.scheduling;

import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.scheduler.ScheduledQueue;
import io.lettuce.core.ScoredValue;
import java.util.ArrayList;
import java.util.List;

/** A {@link ScheduledQueue} on Redis: each duty of the QueueScheduler is one Lua script on BullMQ's keys. */
public final class RedisScheduledQueue implements ScheduledQueue {
  private static final Script MOVE_STALLED = Script.MOVE_STALLED_JOBS_TO_WAIT;
  private static final Script PROMOTE = Script.PROMOTE_DELAYED_JOBS;

  private final QueueKeys keys;
  private final ScriptRunner runner;
  private final long timeoutMillis;
  private final List<String> queueKeys;

  public RedisScheduledQueue(QueueKeys keys, ScriptRunner runner, long timeoutMillis) {
    this.keys = keys;
    this.runner = runner;
    this.timeoutMillis = timeoutMillis;
    this.queueKeys = keys.workerKeys();
  }

  public QueueKeys keys() {
    return keys;
  }

  @Override
  public String name() {
    return keys.queueName();
  }

  @Override
  public StalledCheck moveStalledJobsToWait(int maxStalledCount, long stalledIntervalMillis, long nowMillis) {
    List<String> keyList = new ArrayList<>(queueKeys);
    keyList.add(keys.stalledCheck());
    keyList.add(keys.repeat());
    Object reply = call(MOVE_STALLED, keyList, List.of(Integer.toString(maxStalledCount), keys.keyPrefix(),
        Long.toString(nowMillis), Long.toString(stalledIntervalMillis)), "moveStalledJobsToWait");
    List<Object> pair = QueueScripts.list(reply, "moveStalledJobsToWait");
    List<String> ids = new ArrayList<>();
    QueueScripts.list(pair.get(1), "moveStalledJobsToWait").forEach(id -> ids.add(String.valueOf(id)));
    return new StalledCheck(ids, QueueScripts.number(pair.get(0), "moveStalledJobsToWait"));
  }

  @Override
  public Promotion promoteDelayedJobs(long nowMillis) {
    Object reply = call(PROMOTE, queueKeys, List.of(keys.keyPrefix(), Long.toString(nowMillis)),
        "promoteDelayedJobs");
    List<Object> pair = QueueScripts.list(reply, "promoteDelayedJobs");
    return new Promotion(QueueScripts.number(pair.get(0), "promoteDelayedJobs"),
        QueueScripts.number(pair.get(1), "promoteDelayedJobs"));
  }

  @Override
  public long nextDelayedDue() {
    List<ScoredValue<String>> first = RedisCalls.await(runner.commands().zrangeWithScores(keys.delayed(), 0, 0),
        timeoutMillis, "ZRANGE delayed on " + keys);
    return first == null || first.isEmpty() ? 0 : dueOf(first.get(0).getScore());
  }

  /** The due time in a delayed score (due * 4096 + sequence). */
  static long dueOf(double score) {
    return (long) Math.floor(score / 4096);
  }

  private Object call(Script script, List<String> keyList, List<String> args, String operation) {
    return RedisCalls.await(runner.run(script, keyList, args), timeoutMillis, operation + " on " + keys);
  }

  @Override
  public String toString() {
    return "RedisScheduledQueue{" + keys + "}";
  }
}
