package io.bullpen.redis.internal.script;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Calls Lua scripts by SHA on one connection; on {@code NOSCRIPT} (after a restart, a SCRIPT FLUSH or a failover
 * to a replica, which has no scripts) it sends the script in full with EVAL, which caches it on that server, so
 * scripts are sent in full about once per server.
 */
public final class ScriptRunner {
  private final RedisClusterAsyncCommands<String, String> commands;

  public ScriptRunner(RedisClusterAsyncCommands<String, String> commands) {
    this.commands = commands;
  }

  public RedisClusterAsyncCommands<String, String> commands() {
    return commands;
  }

  /**
   * Runs {@code script}; the reply is a Long, a String, null, or a List of those (nested), as Redis returned it.
   */
  public CompletableFuture<Object> run(Script script, List<String> keys, List<String> args) {
    script.checkKeys(keys);
    LuaScript lua = script.lua();
    CompletableFuture<Object> first = evalsha(lua.sha(), keys, args);
    return first.handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof RedisNoScriptException
          || (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"))) {
        // EVAL, not SCRIPT LOAD: it goes where the keys live (on a cluster SCRIPT LOAD goes to every node, and
        // waits out the command timeout when one is down) and leaves the script cached there.
        return eval(lua.source(), keys, args);
      }
      return CompletableFuture.<Object>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  private CompletableFuture<Object> eval(String source, List<String> keys, List<String> args) {
    CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8)
        .add(source).add(keys.size()).addKeys(keys).addValues(args);
    return commands.dispatch(CommandType.EVAL, new ScriptReply(), commandArgs).toCompletableFuture();
  }

  private CompletableFuture<Object> evalsha(String sha, List<String> keys, List<String> args) {
    CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8)
        .add(sha).add(keys.size()).addKeys(keys).addValues(args);
    return commands.dispatch(CommandType.EVALSHA, new ScriptReply(), commandArgs).toCompletableFuture();
  }
}
