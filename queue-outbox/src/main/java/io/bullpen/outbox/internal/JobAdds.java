package io.bullpen.outbox.internal;

import io.bullpen.ClosedException;
import io.bullpen.Deduplication;
import io.bullpen.JobOptions;
import io.bullpen.QueueConnectionException;
import io.bullpen.outbox.OutboxRecord;
import io.bullpen.redis.RawJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Adds the jobs of claimed rows to Redis, each with the row's deduplication id, so a second add of the same row
 * creates nothing. Rows go out in waves: the first row of every ordering key (and every row without a key), then
 * the second of each key once the first is stored, and so on; within a wave the adds are in flight together
 * (the queue groups them into few script calls). When a keyed row's add fails, the key's later rows are not sent.
 */
public final class JobAdds {
  /** What became of one row's add. */
  public sealed interface Outcome {}

  /** The job is in Redis (new, or found there from an earlier add of the row). */
  public record Added() implements Outcome {}

  /** Redis could not be reached (or the relay is closing): the row stays as it is. */
  public record Unavailable(Throwable error) implements Outcome {}

  /** The add was refused or failed: the row counts a failed attempt. */
  public record Failed(Throwable error) implements Outcome {}

  /** Not sent, as an earlier row of its key did not make it: the row stays as it is. */
  public record Held() implements Outcome {}

  private static final Outcome ADDED = new Added();
  private static final Outcome HELD = new Held();

  private final QueueRegistry queues;
  private final long dedupTtlMillis;

  public JobAdds(QueueRegistry queues, Duration deduplicationWindow) {
    this.queues = queues;
    this.dedupTtlMillis = deduplicationWindow.toMillis();
  }

  /** Adds every row's job; returns each row's outcome, by row id, in the rows' order. */
  public Map<Long, Outcome> add(List<StoredRow> rows) throws InterruptedException {
    Map<Long, Outcome> outcomes = new LinkedHashMap<>();
    Set<String> stoppedKeys = new HashSet<>();
    for (List<StoredRow> wave : waves(rows)) {
      Map<StoredRow, CompletableFuture<?>> sent = new LinkedHashMap<>();
      for (StoredRow row : wave) {
        String key = row.record().orderingKey();
        if (key != null && stoppedKeys.contains(key)) {
          outcomes.put(row.record().id(), HELD);
        } else {
          sent.put(row, send(row));
        }
      }
      for (Map.Entry<StoredRow, CompletableFuture<?>> e : sent.entrySet()) {
        Outcome outcome = await(e.getValue());
        outcomes.put(e.getKey().record().id(), outcome);
        String key = e.getKey().record().orderingKey();
        if (outcome != ADDED && key != null) {
          stoppedKeys.add(key);
        }
      }
    }
    return outcomes;
  }

  /** The options the job is added with: the row's, its deduplication id, and the enqueue time as its timestamp. */
  JobOptions optionsOf(StoredRow row) {
    OutboxRecord r = row.record();
    JobOptions stored = StoredOptions.read(row.options());
    JobOptions.Builder b = stored.toBuilder()
        .deduplication(Deduplication.of(r.deduplicationId()).withTtl(dedupTtlMillis));
    // A delay counts from the business transaction, not from whenever the relay got to the row.
    if (stored.timestamp().isEmpty()) {
      b.timestamp(r.enqueuedAt().toEpochMilli());
    }
    return b.build();
  }

  private CompletableFuture<?> send(StoredRow row) {
    try {
      OutboxRecord r = row.record();
      return queues.get(r.queue()).addAsync(r.name(), RawJson.of(r.data()), optionsOf(row));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Outcome await(CompletableFuture<?> add) throws InterruptedException {
    try {
      add.get();
      return ADDED;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
          : e.getCause();
      if (cause instanceof QueueConnectionException || cause instanceof ClosedException) {
        return new Unavailable(cause);
      }
      return new Failed(cause);
    }
  }

  /** Rows split so that each wave holds at most one row of each ordering key, in id order. */
  static List<List<StoredRow>> waves(List<StoredRow> rows) {
    List<List<StoredRow>> waves = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (StoredRow row : rows) {
      String key = row.record().orderingKey();
      int wave = key == null ? 0 : seen.merge(key, 1, Integer::sum) - 1;
      while (waves.size() <= wave) {
        waves.add(new ArrayList<>());
      }
      waves.get(wave).add(row);
    }
    return waves;
  }
}
