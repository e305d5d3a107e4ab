package io.bullpen;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Limits of one job group (Bullpen's extension, see {@code JobOptions.Builder#group}): at most {@code max} jobs
 * started in any window of {@code durationMillis} (a sliding window), and/or at most {@code concurrency} jobs
 * of the group running at once, across every worker of the queue.
 *
 * <pre>{@code
 * queue.limits().setGroupLimits("customer-42", GroupLimits.rate(100, 60_000).withConcurrency(2));
 * }</pre>
 */
public record GroupLimits(Limiter rate, Integer concurrency) {
  public GroupLimits {
    if (rate == null && concurrency == null) {
      throw new InvalidOptionException("groupLimits", null, "set a rate limit, a concurrency, or both");
    }
    if (concurrency != null && concurrency <= 0) {
      throw new InvalidOptionException("groupLimits.concurrency", concurrency, "must be > 0");
    }
  }

  /** At most {@code max} starts per {@code durationMillis}. */
  public static GroupLimits rate(int max, long durationMillis) {
    return new GroupLimits(new Limiter(max, durationMillis), null);
  }

  /** At most {@code concurrency} jobs of the group at once. */
  public static GroupLimits concurrency(int concurrency) {
    return new GroupLimits(null, concurrency);
  }

  public GroupLimits withConcurrency(int concurrency) {
    return new GroupLimits(rate, concurrency);
  }

  public GroupLimits withRate(int max, long durationMillis) {
    return new GroupLimits(new Limiter(max, durationMillis), concurrency);
  }

  public Optional<Limiter> rateLimit() {
    return Optional.ofNullable(rate);
  }

  public OptionalInt maxConcurrency() {
    return concurrency == null ? OptionalInt.empty() : OptionalInt.of(concurrency);
  }
}
