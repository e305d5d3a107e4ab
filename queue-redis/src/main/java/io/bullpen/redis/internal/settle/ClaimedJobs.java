package io.bullpen.redis.internal.settle;

import io.bullpen.redis.internal.job.RedisJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jobs a claim moved to active (id and hash each), or why there were none.
 *
 * @param rateLimitTtlMillis remaining rate-limit window when the limiter stopped the claim, else 0
 * @param nextDelayedDueMillis due time of the earliest delayed job when nothing was claimed, else 0
 */
public record ClaimedJobs(List<Claimed> jobs, long rateLimitTtlMillis, long nextDelayedDueMillis) {
  /** One claimed job: its id and hash as it was right after the claim. */
  public record Claimed(String id, Map<String, String> fields) {}

  /** A single fetch's result as a claim of one job (or none). */
  public static ClaimedJobs of(FetchResult fetched) {
    List<Claimed> jobs = fetched.hasJob() ? List.of(new Claimed(fetched.jobId(), fetched.fields())) : List.of();
    return new ClaimedJobs(jobs, fetched.rateLimitTtlMillis(), fetched.nextDelayedDueMillis());
  }

  static ClaimedJobs parse(Object jobList, Object ttl, Object due) {
    List<Claimed> jobs = new ArrayList<>();
    if (jobList instanceof List<?> flat) {
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        List<?> fields = flat.get(i + 1) instanceof List<?> l ? l : List.of();
        jobs.add(new Claimed(String.valueOf(flat.get(i)), RedisJob.fieldsFromFlatList(fields)));
      }
    }
    return new ClaimedJobs(jobs, asLong(ttl), asLong(due));
  }

  /** The claimed job at {@code index} as a single fetch result. */
  public FetchResult asFetchResult(int index) {
    Claimed c = jobs.get(index);
    return new FetchResult(c.id(), c.fields(), 0, 0);
  }

  static long asLong(Object value) {
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
