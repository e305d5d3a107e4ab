package io.bullpen.redis.internal.connection;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Command timeouts for a client that also issues blocking commands: ordinary commands keep the configured
 * command timeout, while blocking ones (XREAD BLOCK, BZPOPMIN, ...) get their longest block time on top, so that a
 * read legitimately waiting on the server is not cut off by the client.
 */
public final class BlockingCommandTimeouts extends TimeoutOptions.TimeoutSource {
  private static final Set<CommandType> BLOCKING = EnumSet.of(CommandType.XREAD, CommandType.XREADGROUP,
      CommandType.BLPOP, CommandType.BRPOP, CommandType.BRPOPLPUSH, CommandType.BLMOVE, CommandType.BLMPOP,
      CommandType.BZPOPMIN, CommandType.BZPOPMAX, CommandType.BZMPOP, CommandType.WAIT);

  private final long commandNanos;
  private final long blockingNanos;

  private BlockingCommandTimeouts(Duration command, Duration longestBlock) {
    this.commandNanos = command.toNanos();
    this.blockingNanos = command.plus(longestBlock).toNanos();
  }

  /** Switches {@code client} to these timeouts, keeping its other options. */
  public static void apply(RedisClient client, Duration command, Duration longestBlock) {
    ClientOptions current = client.getOptions();
    client.setOptions(current.mutate()
        .timeoutOptions(TimeoutOptions.builder().timeoutCommands(true).timeoutSource(new BlockingCommandTimeouts(command, longestBlock)).build())
        .build());
  }

  @Override
  public long getTimeout(RedisCommand<?, ?, ?> command) {
    return isBlocking(command) ? blockingNanos : commandNanos;
  }

  /** Whether {@code command} blocks on the server (a read that waits for data, or WAIT). */
  public static boolean isBlocking(RedisCommand<?, ?, ?> command) {
    ProtocolKeyword type = command.getType();
    return type instanceof CommandType ct && BLOCKING.contains(ct);
  }

  @Override
  public TimeUnit getTimeUnit() {
    return TimeUnit.NANOSECONDS;
  }
}
