package io.bullpen.redis.internal.settle;

import io.bullpen.redis.internal.job.RedisJob;
import java.util.List;
import java.util.Map;

/**
 * What a fetch (moveToActive, or the fetch-next part of a finishing script) returned: a job, or why there was
 * none.
 *
 * @param jobId the fetched job's id, or null
 * @param fields the fetched job's hash, or null
 * @param rateLimitTtlMillis remaining rate-limit window when the queue is rate limited, else 0
 * @param nextDelayedDueMillis due time of the earliest delayed job when nothing was runnable, else 0
 */
public record FetchResult(String jobId, Map<String, String> fields, long rateLimitTtlMillis,
    long nextDelayedDueMillis) {
  private static final FetchResult NOTHING = new FetchResult(null, null, 0, 0);

  /** No job, no rate limit, nothing delayed (or the queue is paused). */
  public static FetchResult nothing() {
    return NOTHING;
  }

  public boolean hasJob() {
    return jobId != null;
  }

  /** Parses the four-element tuple the scripts return; a plain integer 0 means "nothing". */
  static FetchResult parse(Object reply) {
    if (!(reply instanceof List<?> tuple) || tuple.size() < 4) {
      return NOTHING;
    }
    long ttl = asLong(tuple.get(2));
    long due = asLong(tuple.get(3));
    Object id = tuple.get(1);
    if (tuple.get(0) instanceof List<?> flat && id != null && !(id instanceof Long)) {
      return new FetchResult(String.valueOf(id), RedisJob.fieldsFromFlatList(flat), ttl, due);
    }
    if (ttl == 0 && due == 0) {
      return NOTHING;
    }
    return new FetchResult(null, null, ttl, due);
  }

  private static long asLong(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value == null) {
      return 0;
    }
    try {
      return (long) Double.parseDouble(String.valueOf(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
