package io.bullpen.redis.internal.settle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.bullpen.Backoff;
import io.bullpen.BackoffStrategy;
import io.bullpen.BullpenException;
import io.bullpen.Job;
import io.bullpen.TimeLimits;
import io.bullpen.UnrecoverableError;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.script.ChildrenPendingException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Decides what happens after a failed attempt (BullMQ's rules): retry after a backoff, retry at once, or fail
 * for good; and renders the failure as BullMQ stores it ({@code failedReason} plain text, {@code stacktrace} a
 * JSON array of the newest traces).
 */
public final class FailurePlanner {
  /** Delay meaning "do not retry". */
  public static final long NO_RETRY = -1;

  private final Map<String, BackoffStrategy> strategies;
  private final LongSupplier clock;

  /** @param clock the epoch ms now, against which retry delays are capped ({@link #cap}) */
  public FailurePlanner(Map<String, BackoffStrategy> strategies, LongSupplier clock) {
    this.strategies = strategies;
    this.clock = clock;
  }

  /**
   * {@code delayMillis} shortened, where needed, so that the retry falls due by {@link TimeLimits#MAX_EPOCH_MILLIS}
   * (an exponential backoff after many attempts, or a strategy's huge answer, would otherwise overflow the delayed
   * set's scores).
   */
  public long cap(long delayMillis) {
    return TimeLimits.capDelay(delayMillis, clock.getAsLong());
  }

  /**
   * The delay before the next attempt, or {@link #NO_RETRY}.
   *
   * @param attemptsMade attempts made including the one that just failed
   * @throws BullpenException when the job names a backoff type this worker has no strategy for
   */
  public long retryDelay(Job job, int attemptsMade, Throwable error) {
    if (error instanceof UnrecoverableError || attemptsMade >= job.options().attempts()) {
      return NO_RETRY;
    }
    Optional<Backoff> backoff = job.options().backoff();
    if (backoff.isEmpty()) {
      return 0;
    }
    Backoff b = backoff.get();
    if (b.isBuiltIn()) {
      return cap(b.builtInDelay(attemptsMade, ThreadLocalRandom.current().nextDouble()));
    }
    BackoffStrategy strategy = strategies.get(b.type());
    if (strategy == null) {
      throw new BullpenException("job " + job.id() + " in queue " + job.queueName() + " uses backoff type \""
          + b.type() + "\" but this worker has no strategy registered for it");
    }
    long delay = strategy.delay(attemptsMade, b.type(), error, job);
    return delay < 0 ? NO_RETRY : cap(delay);
  }

  /** The {@code failedReason} BullMQ stores: the error's message (its class name when it has none). */
  public static String reason(Throwable error) {
    if (error instanceof ChildrenPendingException pending) {
      return pending.bullmqReason();
    }
    String message = error.getMessage();
    return message != null ? message : error.getClass().getName();
  }

  /** The job's stacktrace JSON with this failure's trace appended, trimmed to the job's stackTraceLimit. */
  public static String stacktraceJson(Job job, Throwable error) {
    List<String> previous = job.stacktrace();
    int limit = job.options().stackTraceLimit().orElse(Integer.MAX_VALUE);
    ArrayNode traces = Json.MAPPER.createArrayNode();
    int total = previous.size() + 1;
    int skip = Math.max(0, total - limit);
    for (int i = skip; i < previous.size(); i++) {
      traces.add(previous.get(i));
    }
    if (limit > 0) {
      traces.add(traceOf(error));
    }
    return traces.toString();
  }

  static String traceOf(Throwable error) {
    StringWriter out = new StringWriter();
    try (PrintWriter writer = new PrintWriter(out)) {
      error.printStackTrace(writer);
    }
    return out.toString().stripTrailing();
  }
}
