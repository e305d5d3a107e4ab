package io.bullpen.redis.internal.admin;

import io.bullpen.InvalidOptionException;
import io.bullpen.TimeLimits;
import io.bullpen.Limiter;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.Script;
import io.lettuce.core.KeyValue;
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

  public Call<Void> setConcurrency(int concurrency) {
    if (concurrency <= 0) {
      throw new InvalidOptionException("concurrency", concurrency, "must be > 0");
    }
    return scripts.call("setGlobalConcurrency",
        () -> scripts.commands().hset(keys.meta(), "concurrency", Integer.toString(concurrency))).map(set -> null);
  }

  public Call<Void> removeConcurrency() {
    return scripts.call("removeGlobalConcurrency", () -> scripts.commands().hdel(keys.meta(), "concurrency"))
        .map(removed -> null);
  }

  public Call<OptionalInt> concurrency() {
    return scripts.call("getGlobalConcurrency", () -> scripts.commands().hget(keys.meta(), "concurrency"))
        .map(value -> {
          Integer parsed = parseInt(value);
          return parsed == null ? OptionalInt.empty() : OptionalInt.of(parsed);
        });
  }

  public Call<Void> setRateLimit(Limiter limit) {
    if (limit == null) {
      throw new InvalidOptionException("limit", null, "must not be null (use removeGlobalRateLimit)");
    }
    return scripts.call("setGlobalRateLimit", () -> scripts.commands().hset(keys.meta(), Map.of(
        "max", Integer.toString(limit.max()), "duration", Long.toString(limit.durationMillis())))).map(set -> null);
  }

  public Call<Void> removeRateLimit() {
    return scripts.call("removeGlobalRateLimit", () -> scripts.commands().hdel(keys.meta(), "max", "duration"))
        .map(removed -> null);
  }

  public Call<Optional<Limiter>> rateLimit() {
    return scripts.call("getGlobalRateLimit", () -> scripts.commands().hmget(keys.meta(), "max", "duration"))
        .map(QueueLimits::limiter);
  }

  /** Holds back every worker that has a max (its own or the queue's) for {@code millis}. */
  public Call<Void> rateLimitFor(long millis) {
    TimeLimits.requireMillis("rateLimit", millis, 1);
    return scripts.call("rateLimit",
        () -> scripts.commands().psetex(keys.limiter(), millis, QueueKeys.LIMITER_SATURATED)).map(ok -> null);
  }

  /** BullMQ's getRateLimitTtl: judged by {@code maxJobs} when given (> 0), else by meta {@code max}. */
  public Call<Long> rateLimitTtl(int maxJobs) {
    return scripts.call("getRateLimitTtl", () -> scripts.run(Script.GET_RATE_LIMIT_TTL,
        List.of(keys.limiter(), keys.meta()), List.of(maxJobs > 0 ? Integer.toString(maxJobs) : "")))
        .map(reply -> QueueScripts.number(reply, "getRateLimitTtl"));
  }

  private static Optional<Limiter> limiter(List<KeyValue<String, String>> values) {
    Integer max = parseInt(values.get(0).getValueOrElse(null));
    Integer duration = parseInt(values.get(1).getValueOrElse(null));
    if (max == null || duration == null || max <= 0 || duration <= 0) {
      return Optional.empty();
    }
    return Optional.of(new Limiter(max, duration));
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
