package io.bullpen.redis.internal.connection;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Command timeouts for a client that also issues blocking commands: ordinary commands keep the configured
 * command timeout, while blocking ones (XREAD BLOCK, BZPOPMIN, ...) get their longest block time on top, so that a
 * read legitimately waiting on the server is not cut off by the client. The longest block grows as users that block
 * longer share the client.
 */
public final class BlockingCommandTimeouts extends TimeoutOptions.TimeoutSource {
  private static final Set<CommandType> BLOCKING = EnumSet.of(CommandType.XREAD, CommandType.XREADGROUP,
      CommandType.BLPOP, CommandType.BRPOP, CommandType.BRPOPLPUSH, CommandType.BLMOVE, CommandType.BLMPOP,
      CommandType.BZPOPMIN, CommandType.BZPOPMAX, CommandType.BZMPOP, CommandType.WAIT);

  private final long commandNanos;
  private final AtomicLong blockingNanos;

  BlockingCommandTimeouts(Duration command, Duration longestBlock) {
    this.commandNanos = command.toNanos();
    this.blockingNanos = new AtomicLong(command.plus(longestBlock).toNanos());
  }

  /** Lettuce's timeout options with these timeouts. */
  TimeoutOptions options() {
    return TimeoutOptions.builder().timeoutCommands(true).timeoutSource(this).build();
  }

  /** Lets blocking commands wait {@code longestBlock} (plus the command timeout) from now on, if that is longer. */
  void allowBlocking(Duration longestBlock) {
    long nanos = Duration.ofNanos(commandNanos).plus(longestBlock).toNanos();
    blockingNanos.accumulateAndGet(nanos, Math::max);
  }

  @Override
  public long getTimeout(RedisCommand<?, ?, ?> command) {
    return isBlocking(command) ? blockingNanos.get() : commandNanos;
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
