package io.bullpen.redis.internal.script;

import io.bullpen.BullpenException;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * This queue's Lua scripts and plain commands as futures, and the {@link Call}s built on them with the queue's
 * command timeout.
 */
public final class QueueScripts {
  private final QueueKeys keys;
  private final ScriptRunner runner;
  private final long timeoutMillis;

  public QueueScripts(QueueKeys keys, ScriptRunner runner, long timeoutMillis) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.runner = Objects.requireNonNull(runner, "runner");
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("timeoutMillis must be > 0, was " + timeoutMillis);
    }
    this.timeoutMillis = timeoutMillis;
  }

  public QueueKeys keys() {
    return keys;
  }

  public String queueName() {
    return keys.queueName();
  }

  public ScriptRunner runner() {
    return runner;
  }

  /** Plain commands, pipelined with the scripts on the same connection. */
  public RedisClusterAsyncCommands<String, String> commands() {
    return runner.commands();
  }

  public long timeoutMillis() {
    return timeoutMillis;
  }

  /** Sends {@code script}; the reply is a Long, String, null or nested Lists. */
  public CompletableFuture<Object> run(Script script, List<String> scriptKeys, List<String> args) {
    return runner.run(script, scriptKeys, args);
  }

  /** A call of one round trip, bounded by the command timeout. */
  public <T> Call<T> call(String what, Supplier<? extends CompletionStage<T>> start) {
    return Call.of(what + " on queue " + keys.queueName(), timeoutMillis, start);
  }

  /** A call of several round trips (a loop of script calls), each bounded by the command timeout. */
  public <T> Call<T> longCall(String what, Supplier<? extends CompletionStage<T>> start) {
    return Call.of(what + " on queue " + keys.queueName(), Call.PER_COMMAND, start);
  }

  /** Reads a script reply that must be a list. */
  @SuppressWarnings("unchecked")
  public static List<Object> list(Object reply, String what) {
    if (reply instanceof List<?> list) {
      return (List<Object>) list;
    }
    throw new BullpenException(what + " returned " + reply + " where a list was expected");
  }

  /** Reads a script reply that must be an integer. */
  public static long number(Object reply, String what) {
    if (reply instanceof Long value) {
      return value;
    }
    throw new BullpenException(what + " returned " + reply + " where an integer was expected");
  }
}
