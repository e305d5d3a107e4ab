package io.bullpen.redis.internal.lease;

import io.bullpen.BackoffStrategy;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.KeepJobs;
import io.bullpen.LeaseFailure;
import io.bullpen.LeaseResult;
import io.bullpen.StoredText;
import io.bullpen.TimeLimits;
import io.bullpen.UnrecoverableError;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.job.JobBackend;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.ScriptErrors;
import io.bullpen.redis.internal.settle.BatchScripts;
import io.bullpen.redis.internal.settle.ClaimedJobs;
import io.bullpen.redis.internal.settle.FailurePlanner;
import io.bullpen.redis.internal.settle.SettleOp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease API behind {@link io.bullpen.redis.Leases}: jobs are claimed under an owner token (their lock) and
 * settled later by id, each job checked on its own. One script call per operation, whatever the number of jobs;
 * {@link #fail} first reads the jobs' hashes in one pipelined round trip, because the retry decision (attempts,
 * backoff, stack trace) is made here, as a worker makes it.
 */
public final class LeaseOperations {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseOperations.class);
  /** Most jobs one claim may ask for; keeps a single script call short. */
  public static final int MAX_CLAIM = 10_000;

  private final BatchScripts scripts;
  private final Clock clock;
  private final JobBackend handle;
  private final FailurePlanner planner;

  /** @param strategies the custom backoff strategies by type, as a worker's, so a failure retries as on a worker */
  public LeaseOperations(BatchScripts scripts, Clock clock, JobBackend handle,
      Map<String, BackoffStrategy> strategies) {
    this.scripts = scripts;
    this.clock = clock;
    this.handle = handle;
    this.planner = new FailurePlanner(strategies, clock::millis);
  }

  /**
   * Claims up to {@code maxJobs} jobs for {@code owner}. A claimed job carrying a deferred failure ({@code defa},
   * e.g. "job stalled more than allowable limit") is failed at once, as a worker does, and not returned.
   */
  public Call<List<Job>> claim(String owner, Duration leaseDuration, int maxJobs) {
    requireOwner(owner);
    long leaseMillis = TimeLimits.requireMillis("leaseDuration", leaseDuration, 1);
    if (maxJobs < 1 || maxJobs > MAX_CLAIM) {
      throw new InvalidOptionException("maxJobs", maxJobs, "must be between 1 and " + MAX_CLAIM);
    }
    // settleJobs with no operations and maxJobs extra claims runs the same claim step as claimJobs.
    return call("claim", 2, () -> scripts.settleAsync(List.of(), maxJobs, owner, leaseMillis, clock.millis())
        .thenCompose(settled -> runnable(settled.claimed(), owner)));
  }

  private CompletableFuture<List<Job>> runnable(ClaimedJobs claimed, String owner) {
    List<Job> jobs = new ArrayList<>(claimed.jobs().size());
    List<SettleOp> deferred = new ArrayList<>();
    String queue = scripts.keys().queueName();
    for (ClaimedJobs.Claimed c : claimed.jobs()) {
      RedisJob job = new RedisJob(c.id(), queue, c.fields(), handle, owner);
      if (job.deferredFailure().isPresent()) {
        UnrecoverableError error = new UnrecoverableError(job.deferredFailure().get());
        deferred.add(SettleOp.failFinally(job.id(), owner, FailurePlanner.reason(error),
            FailurePlanner.stacktraceJson(job, error), job.options().removeOnFail().orElse(KeepJobs.all()),
            job.options().attempts()));
      } else {
        jobs.add(job);
      }
    }
    if (deferred.isEmpty()) {
      return CompletableFuture.completedFuture(List.copyOf(jobs));
    }
    return scripts.settleAsync(deferred, 0, owner, 0, clock.millis()).thenApply(settled -> List.copyOf(jobs));
  }

  /** Completes the jobs with their results (serialised like a processor's); each job's own keep policy applies. */
  public Call<LeaseResult> ack(String owner, Map<String, ?> results) {
    requireOwner(owner);
    if (results == null) {
      throw new InvalidOptionException("results", null, "must map job ids to results");
    }
    List<String> ids = new ArrayList<>(results.keySet());
    requireIds(ids);
    List<SettleOp> ops = new ArrayList<>(ids.size());
    for (String id : ids) {
      ops.add(SettleOp.complete(id, owner, Json.resultToJson(results.get(id)), null, null, false));
    }
    return settle("ack", ids, ops);
  }

  /** Completes the jobs with a null result. */
  public Call<LeaseResult> ack(String owner, Collection<String> jobIds) {
    Map<String, Object> results = new LinkedHashMap<>();
    for (String id : copyIds(jobIds)) {
      results.put(id, null);
    }
    return ack(owner, results);
  }

  /** Fails the jobs with a worker failure's rules: retried while attempts remain, after their backoff. */
  public Call<LeaseResult> fail(String owner, List<LeaseFailure> failures) {
    requireOwner(owner);
    if (failures == null) {
      throw new InvalidOptionException("failures", null, "must be a list of failures");
    }
    List<String> ids = new ArrayList<>(failures.size());
    for (LeaseFailure f : failures) {
      if (f == null) {
        throw new InvalidOptionException("failures", null, "must not contain null");
      }
      ids.add(f.jobId());
    }
    requireIds(ids);
    List<LeaseFailure> given = List.copyOf(failures);
    return call("fail", 2, () -> {
      List<CompletableFuture<Map<String, String>>> reads = new ArrayList<>(ids.size());
      for (String id : ids) {
        reads.add(scripts.runnerCommands().hgetall(scripts.keys().jobKey(id)).toCompletableFuture());
      }
      return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
          .thenCompose(read -> failRead(owner, ids, given, reads));
    });
  }

  private CompletableFuture<LeaseResult> failRead(String owner, List<String> ids, List<LeaseFailure> failures,
      List<CompletableFuture<Map<String, String>>> reads) {
    long[] codes = new long[ids.size()];
    List<SettleOp> ops = new ArrayList<>(ids.size());
    List<Integer> positions = new ArrayList<>(ids.size());
    String queue = scripts.keys().queueName();
    for (int i = 0; i < ids.size(); i++) {
      Map<String, String> fields = reads.get(i).join();
      if (fields == null || fields.isEmpty()) {
        codes[i] = ScriptErrors.JOB_NOT_FOUND;
        continue;
      }
      ops.add(failureOp(new RedisJob(ids.get(i), queue, fields, handle, owner), owner, failures.get(i)));
      positions.add(i);
    }
    if (ops.isEmpty()) {
      return CompletableFuture.completedFuture(result(ids, codes));
    }
    return scripts.settleAsync(ops, 0, owner, 0, clock.millis()).thenApply(settled -> {
      for (int k = 0; k < settled.codes().length; k++) {
        codes[positions.get(k)] = settled.codes()[k];
      }
      return result(ids, codes);
    });
  }

  /** Puts the jobs back at the front of wait without using an attempt. */
  public Call<LeaseResult> abandon(String owner, Collection<String> jobIds) {
    requireOwner(owner);
    List<String> ids = copyIds(jobIds);
    requireIds(ids);
    return settle("abandon", ids, ids.stream().map(id -> SettleOp.backToWait(id, owner)).toList());
  }

  /** Renews the jobs' leases to {@code duration} from now. */
  public Call<LeaseResult> extend(String owner, Collection<String> jobIds, Duration duration) {
    requireOwner(owner);
    List<String> ids = copyIds(jobIds);
    requireIds(ids);
    long millis = TimeLimits.requireMillis("duration", duration, 1);
    return settle("extend", ids, ids.stream().map(id -> SettleOp.extend(id, owner, millis)).toList());
  }

  private SettleOp failureOp(RedisJob job, String owner, LeaseFailure failure) {
    Throwable error = failure.error();
    String reason = FailurePlanner.reason(error);
    String stacktrace = FailurePlanner.stacktraceJson(job, error);
    int attemptsMade = job.attemptsMade() + 1;
    long delay;
    if (failure.retryDelay().isPresent()) {
      boolean retry = !(error instanceof UnrecoverableError) && attemptsMade < job.options().attempts();
      delay = retry ? planner.cap(failure.retryDelay().get().toMillis()) : FailurePlanner.NO_RETRY;
    } else {
      try {
        delay = planner.retryDelay(job, attemptsMade, error);
      } catch (RuntimeException e) {
        // No strategy for the job's backoff type, or the strategy threw: fail for good, as a worker does.
        LOG.warn("queue {}: job {} fails for good: {}", job.queueName(), job.id(), e.getMessage());
        delay = FailurePlanner.NO_RETRY;
      }
    }
    if (delay == FailurePlanner.NO_RETRY) {
      return SettleOp.failFinally(job.id(), owner, reason, stacktrace,
          job.options().removeOnFail().orElse(KeepJobs.all()), job.options().attempts());
    }
    if (delay > 0) {
      return SettleOp.retryAfter(job.id(), owner, reason, stacktrace, delay);
    }
    return SettleOp.retryNow(job.id(), owner, reason, stacktrace, job.options().lifo());
  }

  private Call<LeaseResult> settle(String what, List<String> ids, List<SettleOp> ops) {
    return call(what, 1, () -> scripts.settleAsync(ops, 0, "0", 0, clock.millis())
        .thenApply(settled -> result(ids, settled.codes())));
  }

  private <T> Call<T> call(String what, int roundTrips, Supplier<CompletableFuture<T>> start) {
    return Call.of(what + " on queue " + scripts.keys().queueName(), roundTrips * scripts.timeoutMillis(), start);
  }

  private static LeaseResult result(List<String> ids, long[] codes) {
    List<String> done = new ArrayList<>();
    Map<String, LeaseResult.Refusal> refused = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      long code = i < codes.length ? codes[i] : 0;
      if (ScriptErrors.moved(code)) {
        done.add(ids.get(i));
      } else {
        refused.put(ids.get(i), refusal(code));
      }
    }
    return LeaseResult.of(done, refused);
  }

  private static List<String> copyIds(Collection<String> jobIds) {
    if (jobIds == null) {
      throw new InvalidOptionException("jobIds", null, "must be a collection of job ids");
    }
    return new ArrayList<>(jobIds);
  }

  private static void requireOwner(String owner) {
    if (owner == null || owner.isEmpty() || owner.equals("0")) {
      throw new InvalidOptionException("ownerToken", owner, "must be a non-empty token other than \"0\"");
    }
    // Redis holds the token as UTF-8: two tokens differing only in an unpaired surrogate would be one owner.
    StoredText.requireWellFormed("ownerToken", owner);
  }

  private static void requireIds(List<String> ids) {
    Set<String> seen = new HashSet<>();
    for (String id : ids) {
      QueueKeys.requireJobId("jobId", id);
      if (!seen.add(id)) {
        throw new InvalidOptionException("jobId", id, "appears twice in one call");
      }
    }
  }

  /** The refusal for a script error code (spec §4.0). */
  static LeaseResult.Refusal refusal(long code) {
    return switch ((int) code) {
      case -1 -> LeaseResult.Refusal.NOT_FOUND;
      case -2 -> LeaseResult.Refusal.LOCK_EXPIRED;
      case -6 -> LeaseResult.Refusal.LOCK_TAKEN;
      case -4 -> LeaseResult.Refusal.CHILDREN_PENDING;
      case -9 -> LeaseResult.Refusal.CHILDREN_FAILED;
      default -> LeaseResult.Refusal.NOT_ACTIVE;
    };
  }
}
