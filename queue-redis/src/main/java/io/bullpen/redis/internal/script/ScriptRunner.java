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
 * Calls Lua scripts by SHA on one connection; on {@code NOSCRIPT} (after a restart or SCRIPT FLUSH) it loads the
 * script and calls it again, so scripts are sent in full at most once per server.
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
        return commands.scriptLoad(lua.source()).toCompletableFuture()
            .thenCompose(sha -> evalsha(sha, keys, args));
      }
      return CompletableFuture.<Object>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  private CompletableFuture<Object> evalsha(String sha, List<String> keys, List<String> args) {
    CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8)
        .add(sha).add(keys.size()).addKeys(keys).addValues(args);
    return commands.dispatch(CommandType.EVALSHA, new ScriptReply(), commandArgs).toCompletableFuture();
  }
}
