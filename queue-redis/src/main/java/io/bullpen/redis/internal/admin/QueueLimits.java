package io.bullpen.redis.internal.admin;

import io.bullpen.InvalidOptionException;
import io.bullpen.Limiter;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.Script;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The queue-wide brakes BullMQ keeps in {@code meta} and {@code limiter}: global concurrency (meta
 * {@code concurrency}), global rate limit (meta {@code max}/{@code duration}) and the manual rate limit, which
 * every worker, Node or Java, reads at fetch time.
 */
public final class QueueLimits {
  private final QueueScripts scripts;
  private final QueueKeys keys;

  public QueueLimits(QueueScripts scripts) {
    this.scripts = scripts;
    this.keys = scripts.keys();
  }

  public void setConcurrency(int concurrency) {
    if (concurrency <= 0) {
      throw new InvalidOptionException("concurrency", concurrency, "must be > 0");
    }
    scripts.await(scripts.runner().commands().hset(keys.meta(), "concurrency", Integer.toString(concurrency)),
        "HSET meta concurrency");
  }

  public void removeConcurrency() {
    scripts.await(scripts.runner().commands().hdel(keys.meta(), "concurrency"), "HDEL meta concurrency");
  }

  public OptionalInt concurrency() {
    String value = scripts.await(scripts.runner().commands().hget(keys.meta(), "concurrency"),
        "HGET meta concurrency");
    Integer parsed = parseInt(value);
    return parsed == null ? OptionalInt.empty() : OptionalInt.of(parsed);
  }

  public void setRateLimit(Limiter limit) {
    if (limit == null) {
      throw new InvalidOptionException("limit", null, "must not be null (use removeGlobalRateLimit)");
    }
    scripts.await(scripts.runner().commands().hset(keys.meta(), Map.of("max", Integer.toString(limit.max()),
        "duration", Long.toString(limit.durationMillis()))), "HSET meta max/duration");
  }

  public void removeRateLimit() {
    scripts.await(scripts.runner().commands().hdel(keys.meta(), "max", "duration"), "HDEL meta max/duration");
  }

  public Optional<Limiter> rateLimit() {
    List<io.lettuce.core.KeyValue<String, String>> values = scripts.await(
        scripts.runner().commands().hmget(keys.meta(), "max", "duration"), "HMGET meta max/duration");
    Integer max = parseInt(values.get(0).getValueOrElse(null));
    Integer duration = parseInt(values.get(1).getValueOrElse(null));
    if (max == null || duration == null || max <= 0 || duration <= 0) {
      return Optional.empty();
    }
    return Optional.of(new Limiter(max, duration));
  }

  /** Holds back every worker that has a max (its own or the queue's) for {@code millis}. */
  public void rateLimitFor(long millis) {
    if (millis <= 0) {
      throw new InvalidOptionException("rateLimit", millis, "must be > 0 ms");
    }
    scripts.await(scripts.runner().commands().psetex(keys.limiter(), millis, QueueKeys.LIMITER_SATURATED),
        "PSETEX limiter");
  }

  /** BullMQ's getRateLimitTtl: judged by {@code maxJobs} when given (> 0), else by meta {@code max}. */
  public long rateLimitTtl(int maxJobs) {
    Object reply = scripts.run(Script.GET_RATE_LIMIT_TTL, List.of(keys.limiter(), keys.meta()),
        List.of(maxJobs > 0 ? Integer.toString(maxJobs) : ""));
    return QueueScripts.number(reply, "getRateLimitTtl");
  }

  private static Integer parseInt(String value) {
    if (value == null) {
      return null;
    }
    try {
      return (int) Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
