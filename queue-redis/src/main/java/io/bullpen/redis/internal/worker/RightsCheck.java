package io.bullpen.redis.internal.worker;

import io.bullpen.QueueConnectionException;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks at a worker's start that its Redis user may run what the worker needs: the scripts (EVALSHA, SCRIPT
 * LOAD), every kind of command they call, on the queue's keys, and the blocking reads. An ACL user without one
 * of these rights would otherwise start and then fail with {@code NOPERM} on every call; here it fails once,
 * naming each refused command.
 */
final class RightsCheck {
  private RightsCheck() {}

  /** Throws {@link QueueConnectionException} listing what the user may not run; Redis errors pass through. */
  static void verify(ScriptRunner runner, QueueKeys keys, long timeoutMillis, String where) {
    List<String> refused = new ArrayList<>();
    try {
      Object reply = RedisCalls.await(runner.run(Script.PROBE_RIGHTS, List.of(keys.rightsProbe()), List.of()),
          timeoutMillis, "probeRights on " + keys);
      if (reply instanceof List<?> list) {
        list.forEach(item -> refused.add(String.valueOf(item)));
      }
    } catch (RuntimeException e) {
      refusedOrThrow(e, "EVALSHA/SCRIPT LOAD", refused);
    }
    RedisClusterAsyncCommands<String, String> commands = runner.commands();
    try {
      RedisCalls.await(commands.bzpopmin(0.001, keys.rightsProbe()), timeoutMillis + 1_000, "BZPOPMIN");
    } catch (RuntimeException e) {
      refusedOrThrow(e, "BZPOPMIN", refused);
    }
    try {
      RedisCalls.await(commands.xread(XReadArgs.Builder.count(1),
          XReadArgs.StreamOffset.from(keys.events(), "$")), timeoutMillis, "XREAD");
    } catch (RuntimeException e) {
      refusedOrThrow(e, "XREAD", refused);
    }
    if (!refused.isEmpty()) {
      String pattern = keys.keyPrefix() + "*";
      throw new QueueConnectionException("NOPERM: the Redis user of " + where + " may not run what a worker of "
          + keys + " needs: " + String.join("; ", refused) + ". Grant it these commands on the keys and channels "
          + pattern + " (for example: +@all -@dangerous ~" + pattern + " &" + pattern + ")", null);
    }
  }

  private static void refusedOrThrow(RuntimeException e, String command, List<String> refused) {
    String message = String.valueOf(e.getMessage());
    if (!message.contains("NOPERM")) {
      throw e;
    }
    refused.add(command + ": " + message.substring(message.indexOf("NOPERM")));
  }
}
