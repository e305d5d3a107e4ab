package io.bullpen.redis.internal.worker;

import io.bullpen.BullpenException;
import io.bullpen.Job;
import io.bullpen.JobCancelledException;
import io.bullpen.UnrecoverableError;
import io.bullpen.observe.JobAttempt;
import io.bullpen.observe.JobObserver;
import io.bullpen.redis.internal.codec.TelemetryMetadata;
import io.bullpen.redis.internal.job.RedisJob;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The start and end of an attempt, the same for every worker kind: lock renewal, the job scheduler's next run,
 * the {@code active} event, the attempt's cancellation signal and log buffer, and the refusals that fail a job
 * without running it (a deferred failure, a cancel recorded before any worker took it, too many starts).
 */
final class JobStarts {
  /** Job hash fields written by the cancelJob script: the reason, and "1" when a retry is allowed. */
  static final String CANCEL_FIELD = "bpcancel";
  static final String CANCEL_RETRY_FIELD = "bpcancelretry";

  private final WorkerEvents events;
  private final LockRenewer renewer;
  private final RunningAttempts attempts;
  private final OptionalInt maxStartedAttempts;
  private final Function<Job, ?> onStart;
  private final JobObserver observer;
  private final String workerId;
  private final Clock clock;

  /** A job whose attempt began, and the error it fails with instead of running (null: run it). */
  record Started(ProcessingJob job, Throwable refusal) {}

  /**
   * @param renewer lock renewal, or null when the worker skips it
   * @param onStart run for each job of a job scheduler before its processor (creates the scheduler's next run);
   *     its failure is reported and the job runs anyway
   */
  JobStarts(WorkerEvents events, LockRenewer renewer, RunningAttempts attempts, OptionalInt maxStartedAttempts,
      Function<Job, ?> onStart, JobObserver observer, String workerId, Clock clock) {
    this.observer = observer;
    this.workerId = workerId;
    this.clock = clock;
    this.events = events;
    this.renewer = renewer;
    this.attempts = attempts;
    this.maxStartedAttempts = maxStartedAttempts;
    this.onStart = onStart;
  }

  /** Renews the lock of a job taken with {@code token} from now on, until it is {@linkplain #untrack untracked}. */
  void track(String jobId, String token) {
    if (renewer != null) {
      renewer.track(jobId, token);
    }
  }

  Started begin(RedisJob fetched) {
    track(fetched.id(), token(fetched));
    ProcessingJob job = new ProcessingJob(fetched, events,
        attempts.begin(fetched.id(), fetched.options().keepLogs().orElse(null)));
    if (fetched.repeatJobKey().isPresent()) {
      // As BullMQ's workers: a scheduler's next run is created when the current one starts.
      try {
        onStart.apply(fetched);
      } catch (RuntimeException e) {
        events.error(new BullpenException("could not create the next run of job scheduler "
            + fetched.repeatJobKey().get() + " after job " + fetched.id() + ": " + e.getMessage(), e));
      }
    }
    events.active(job);
    if (observer != JobObserver.NONE) {
      job.observed(observe(fetched));
    }
    return new Started(job, refusal(job));
  }

  private ObservedAttempt observe(RedisJob fetched) {
    long runnableSince = fetched.timestamp() + Math.max(0, fetched.delay());
    Duration wait = Duration.ofMillis(Math.max(0, clock.millis() - runnableSince));
    Map<String, String> headers = TelemetryMetadata.fromJson(fetched.options().telemetryMetadata().orElse(null));
    return new ObservedAttempt(observer.attemptStarting(new JobAttempt(fetched.queueName(), workerId, fetched,
        fetched.attemptsMade() + 1, wait, headers)));
  }

  private Throwable refusal(ProcessingJob job) {
    RedisJob fetched = job.redisJob();
    if (fetched.deferredFailure().isPresent()) {
      return new UnrecoverableError(fetched.deferredFailure().get());
    }
    String cancelReason = fetched.rawFields().get(CANCEL_FIELD);
    if (cancelReason != null && !cancelReason.isEmpty()) {
      // Cancelled before any worker took it.
      CancelSignal signal = job.attempt().signal();
      signal.cancel(cancelReason, "1".equals(fetched.rawFields().get(CANCEL_RETRY_FIELD)));
      return new JobCancelledException(cancelReason, signal.retry());
    }
    if (maxStartedAttempts.isPresent() && fetched.attemptsStarted() > maxStartedAttempts.getAsInt()) {
      return new UnrecoverableError("job started more than allowable limit");
    }
    return null;
  }

  /** Ends the attempt: its buffered log lines are written before the job moves on. */
  void end(ProcessingJob job) {
    job.observed().processed();
    attempts.end(job.attempt());
  }

  /** The job's final move is about to run: a lock it releases must not be reported as lost. */
  void finishing(String jobId, String token) {
    if (renewer != null) {
      renewer.finishing(jobId, token);
    }
  }

  void untrack(String jobId, String token) {
    if (renewer != null) {
      renewer.untrack(jobId, token);
    }
  }

  static String token(RedisJob job) {
    return job.lockToken().orElse("0");
  }
}
