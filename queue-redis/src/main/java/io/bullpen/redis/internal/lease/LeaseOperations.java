package io.bullpen.redis.internal.lease;

import io.bullpen.InvalidOptionException;
import io.bullpen.KeepJobs;
import io.bullpen.UnrecoverableError;
import io.bullpen.LeaseFailure;
import io.bullpen.LeaseResult;
import io.bullpen.redis.internal.job.JobBackend;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.ScriptErrors;
import io.bullpen.redis.internal.settle.BatchScripts;
import io.bullpen.redis.internal.settle.ClaimedJobs;
import io.bullpen.redis.internal.settle.FailurePlanner;
import io.bullpen.redis.internal.settle.SettleOp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The lease API behind {@link io.bullpen.redis.Queue#claim} and friends: jobs are claimed under an owner token
 * (their lock) and settled later by id, each job checked on its own. One script call per operation, whatever
 * the number of jobs; {@link #fail} first reads the jobs' hashes in one pipelined round trip, because the retry
 * decision (attempts, backoff, stack trace) is made here, as a worker makes it.
 */
public final class LeaseOperations {
  /** Most jobs one claim may ask for; keeps a single script call short. */
  public static final int MAX_CLAIM = 10_000;

  private final BatchScripts scripts;
  private final Clock clock;
  private final JobBackend handle;
  private final FailurePlanner planner = new FailurePlanner(Map.of());

  /** Ids given to a lease call and the script's code for each (0 done, else a script error code). */
  public record Outcome(List<String> ids, long[] codes) {}

  public LeaseOperations(BatchScripts scripts, Clock clock, JobBackend handle) {
    this.scripts = scripts;
    this.clock = clock;
    this.handle = handle;
  }

  /**
   * Claims up to {@code maxJobs} jobs for {@code owner}. A claimed job carrying a deferred failure ({@code defa},
   * e.g. "job stalled more than allowable limit") is failed at once, as a worker does, and not returned.
   */
  public List<RedisJob> claim(String owner, long leaseMillis, int maxJobs) {
    requireOwner(owner);
    if (leaseMillis < 1) {
      throw new InvalidOptionException("leaseDuration", leaseMillis + " ms", "must be at least 1 ms");
    }
    if (maxJobs < 1 || maxJobs > MAX_CLAIM) {
      throw new InvalidOptionException("maxJobs", maxJobs, "must be between 1 and " + MAX_CLAIM);
    }
    ClaimedJobs claimed = scripts.claim(owner, maxJobs, leaseMillis, clock.millis());
    List<RedisJob> jobs = new ArrayList<>(claimed.jobs().size());
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
    if (!deferred.isEmpty()) {
      scripts.settle(deferred, 0, owner, 0, clock.millis());
    }
    return jobs;
  }

  /** Completes the jobs with their results (JSON); each job's own keep policy applies. */
  public Outcome ack(String owner, Map<String, String> resultJsonById) {
    requireOwner(owner);
    List<String> ids = new ArrayList<>(resultJsonById.keySet());
    requireIds(ids);
    List<SettleOp> ops = new ArrayList<>(ids.size());
    for (String id : ids) {
      ops.add(SettleOp.complete(id, owner, resultJsonById.get(id), null, null, false));
    }
    return run(ids, ops);
  }

  /** Fails the jobs with a worker failure's rules: retried while attempts remain, after their backoff. */
  public Outcome fail(String owner, List<LeaseFailure> failures) {
    requireOwner(owner);
    List<String> ids = new ArrayList<>(failures.size());
    for (LeaseFailure f : failures) {
      if (f == null) {
        throw new InvalidOptionException("failures", null, "must not contain null");
      }
      ids.add(f.jobId());
    }
    requireIds(ids);
    List<CompletableFuture<Map<String, String>>> reads = new ArrayList<>(ids.size());
    for (String id : ids) {
      reads.add(scripts.runnerCommands().hgetall(scripts.keys().jobKey(id)).toCompletableFuture());
    }
    long[] codes = new long[ids.size()];
    List<SettleOp> ops = new ArrayList<>(ids.size());
    List<Integer> positions = new ArrayList<>(ids.size());
    String queue = scripts.keys().queueName();
    for (int i = 0; i < ids.size(); i++) {
      Map<String, String> fields = RedisCalls.await(reads.get(i), scripts.timeoutMillis(), "HGETALL " + ids.get(i));
      if (fields == null || fields.isEmpty()) {
        codes[i] = ScriptErrors.JOB_NOT_FOUND;
        continue;
      }
      RedisJob job = new RedisJob(ids.get(i), queue, fields, handle, owner);
      ops.add(failureOp(job, owner, failures.get(i)));
      positions.add(i);
    }
    if (!ops.isEmpty()) {
      long[] settled = scripts.settle(ops, 0, owner, 0, clock.millis()).codes();
      for (int k = 0; k < settled.length; k++) {
        codes[positions.get(k)] = settled[k];
      }
    }
    return new Outcome(ids, codes);
  }

  /** Puts the jobs back at the front of wait without using an attempt. */
  public Outcome abandon(String owner, List<String> ids) {
    requireOwner(owner);
    requireIds(ids);
    return run(ids, ids.stream().map(id -> SettleOp.backToWait(id, owner)).toList());
  }

  /** Renews the jobs' leases for {@code millis}. */
  public Outcome extend(String owner, List<String> ids, long millis) {
    requireOwner(owner);
    requireIds(ids);
    if (millis < 1) {
      throw new InvalidOptionException("duration", millis + " ms", "must be at least 1 ms");
    }
    return run(ids, ids.stream().map(id -> SettleOp.extend(id, owner, millis)).toList());
  }

  private SettleOp failureOp(RedisJob job, String owner, LeaseFailure failure) {
    Throwable error = failure.error();
    String reason = FailurePlanner.reason(error);
    String stacktrace = FailurePlanner.stacktraceJson(job, error);
    int attemptsMade = job.attemptsMade() + 1;
    long delay;
    if (failure.retryDelay().isPresent()) {
      boolean retry = !(error instanceof UnrecoverableError) && attemptsMade < job.options().attempts();
      delay = retry ? failure.retryDelay().get().toMillis() : FailurePlanner.NO_RETRY;
    } else {
      try {
        delay = planner.retryDelay(job, attemptsMade, error);
      } catch (RuntimeException e) {
        // A custom backoff type the lease API has no strategy for: fail for good, as a worker would.
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

  private Outcome run(List<String> ids, List<SettleOp> ops) {
    if (ops.isEmpty()) {
      return new Outcome(ids, new long[0]);
    }
    return new Outcome(ids, scripts.settle(ops, 0, "0", 0, clock.millis()).codes());
  }

  private static void requireOwner(String owner) {
    if (owner == null || owner.isEmpty() || owner.equals("0")) {
      throw new InvalidOptionException("ownerToken", owner, "must be a non-empty token other than \"0\"");
    }
  }

  private static void requireIds(List<String> ids) {
    Set<String> seen = new HashSet<>();
    for (String id : ids) {
      if (id == null || id.isEmpty()) {
        throw new InvalidOptionException("jobId", id, "must be a non-empty job id");
      }
      if (!seen.add(id)) {
        throw new InvalidOptionException("jobId", id, "appears twice in one call");
      }
    }
  }

  /** The refusal for a script error code (spec §4.0). */
  public static LeaseResult.Refusal refusal(long code) {
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
