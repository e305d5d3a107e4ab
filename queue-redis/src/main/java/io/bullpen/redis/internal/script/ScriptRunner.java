package io.bullpen.redis.internal.script;

import io.bullpen.redis.internal.connection.RedisLink;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Calls Bullpen's Lua scripts on one connection. Where the server holds {@link FunctionLibrary} (Redis 7 and
 * later, loaded by {@link ServerFunctions}) a script runs as a function with FCALL, which skips re-running its
 * includes on every call; otherwise by SHA with EVALSHA, and on {@code NOSCRIPT} (after a restart, a SCRIPT FLUSH
 * or a failover to a replica, which has no scripts) it sends the script in full with EVAL, which caches it on
 * that server, so scripts are sent in full about once per server. A function the server no longer has
 * (FUNCTION FLUSH, a restart without persistence) or refuses falls back the same way, within the call.
 */
public final class ScriptRunner {
  private final RedisClusterAsyncCommands<String, String> commands;
  private final ServerFunctions functions;

  /** Runs scripts on {@code link}, as functions where its servers allow. */
  public ScriptRunner(RedisLink link) {
    this.commands = link.async();
    this.functions = ServerFunctions.of(link);
  }

  /** Runs scripts on {@code commands} as EVAL scripts only. */
  public ScriptRunner(RedisClusterAsyncCommands<String, String> commands) {
    this.commands = commands;
    this.functions = null;
  }

  public RedisClusterAsyncCommands<String, String> commands() {
    return commands;
  }

  /**
   * Runs {@code script}; the reply is a Long, a String, null, or a List of those (nested), as Redis returned it.
   */
  public CompletableFuture<Object> run(Script script, List<String> keys, List<String> args) {
    script.checkKeys(keys);
    if (functions != null && script.runsAsFunction() && !keys.isEmpty() && functions.ready(keys.get(0))) {
      String function = functions.library().functionName(script);
      return call(CommandType.FCALL, function, keys, args).handle((value, error) -> {
        if (error == null) {
          return CompletableFuture.completedFuture(value);
        }
        Throwable cause = ServerFunctions.unwrap(error);
        if (functionMissing(cause)) {
          functions.missing(keys.get(0));
        } else if (ServerFunctions.refusedForGood(cause) && mentionsFcall(cause)) {
          functions.refuse(cause);
        } else {
          return CompletableFuture.failedFuture(cause);
        }
        // The function did not run: nothing of it happened, so the script runs now as an EVAL script.
        return evaluate(script, keys, args);
      }).thenCompose(f -> f);
    }
    return evaluate(script, keys, args);
  }

  private CompletableFuture<Object> evaluate(Script script, List<String> keys, List<String> args) {
    LuaScript lua = script.lua();
    return call(CommandType.EVALSHA, lua.sha(), keys, args).handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = ServerFunctions.unwrap(error);
      if (cause instanceof RedisNoScriptException
          || (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"))) {
        // EVAL, not SCRIPT LOAD: it goes where the keys live (on a cluster SCRIPT LOAD goes to every node, and
        // waits out the command timeout when one is down) and leaves the script cached there.
        return call(CommandType.EVAL, lua.source(), keys, args);
      }
      return CompletableFuture.<Object>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  private static boolean functionMissing(Throwable cause) {
    String message = cause.getMessage();
    return message != null && message.contains("Function not found");
  }

  /** A NOPERM about FCALL itself, not about a command or key the function uses (that one EVAL would meet too). */
  private static boolean mentionsFcall(Throwable cause) {
    String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return message.contains("unknown command") || message.contains("'fcall'");
  }

  private CompletableFuture<Object> call(CommandType type, String scriptOrName, List<String> keys,
      List<String> args) {
    CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8)
        .add(scriptOrName).add(keys.size()).addKeys(keys).addValues(args);
    return commands.dispatch(type, new ScriptReply(), commandArgs).toCompletableFuture();
  }
}
