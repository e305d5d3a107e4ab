package io.bullpen.redis.internal.script;

import io.bullpen.redis.internal.keys.QueueKeys;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** Runs this queue's Lua scripts and plain commands and waits for the reply, with the queue's timeout. */
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

  /** Runs {@code script} and returns its reply (Long, String, null or nested Lists). */
  public Object run(Script script, List<String> scriptKeys, List<String> args) {
    return RedisCalls.await(runner.run(script, scriptKeys, args), timeoutMillis,
        script.fileName() + " on queue " + keys.queueName());
  }

  /** Waits for a plain command issued on {@link ScriptRunner#commands()}. */
  public <T> T await(CompletionStage<T> reply, String what) {
    return RedisCalls.await(reply, timeoutMillis, what + " on queue " + keys.queueName());
  }

  /** Reads a script reply that must be a list. */
  @SuppressWarnings("unchecked")
  public static List<Object> list(Object reply, String what) {
    if (reply instanceof List<?> list) {
      return (List<Object>) list;
    }
    throw new io.bullpen.BullpenException(what + " returned " + reply + " where a list was expected");
  }

  /** Reads a script reply that must be an integer. */
  public static long number(Object reply, String what) {
    if (reply instanceof Long value) {
      return value;
    }
    throw new io.bullpen.BullpenException(what + " returned " + reply + " where an integer was expected");
  }
}
