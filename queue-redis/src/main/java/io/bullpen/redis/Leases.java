package io.bullpen.redis;

import io.bullpen.Job;
import io.bullpen.LeaseFailure;
import io.bullpen.LeaseResult;
import io.bullpen.redis.internal.lease.LeaseOperations;
import io.bullpen.redis.internal.settle.BatchScripts;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Pulling jobs yourself (Bullpen's lease API, {@code queue.leases()}): claim runnable jobs under an owner token
 * and a lease, then settle them by id. The queue stays an ordinary BullMQ 6 queue: claimed jobs are active and
 * locked exactly as a worker's, with the same events.
 *
 * <pre>{@code
 * Leases leases = queue.leases();
 * List<Job> jobs = leases.claim("relay-1", Duration.ofSeconds(30), 100);
 * leases.ack("relay-1", Map.of(jobs.get(0).id(), "sent"));
 * leases.fail("relay-1", List.of(LeaseFailure.of(jobs.get(1).id(), error)));
 * }</pre>
 *
 * <p>Each settling call is one script whatever the number of jobs; ownership is checked per job against its lock,
 * so a job whose lease ran out or that another owner holds is refused ({@link LeaseResult#refused()}) while the
 * others go through. A lease left to expire is reclaimed by the queue's stalled check and the job runs again.
 * The owner token is yours to choose: not empty and not {@code "0"}.
 */
public final class Leases {
  private final QueueOperations ops;
  private final LeaseOperations leases;

  Leases(QueueOperations ops) {
    this.ops = ops;
    this.leases = new LeaseOperations(
        new BatchScripts(ops.keys, ops.scripts.runner(), ops.scripts.timeoutMillis(), null, null),
        ops.options.clock(), ops.jobs, ops.options.backoffStrategies());
  }

  /**
   * Claims up to {@code maxJobs} (at most 10,000) runnable jobs for {@code ownerToken} in one atomic script:
   * wait first, then prioritized, after promoting due delayed jobs, and only as many as the queue's pause flag,
   * global concurrency and rate limit allow. Each job's lock is the owner token with a TTL of
   * {@code leaseDuration}. Returns them oldest first with their data; empty when nothing is runnable.
   */
  public List<Job> claim(String ownerToken, Duration leaseDuration, int maxJobs) {
    return ops.guard(leases.claim(ownerToken, leaseDuration, maxJobs)).join();
  }

  /** As {@link #claim}, without blocking. */
  public CompletableFuture<List<Job>> claimAsync(String ownerToken, Duration leaseDuration, int maxJobs) {
    return ops.guard(leases.claim(ownerToken, leaseDuration, maxJobs)).async();
  }

  /**
   * Completes jobs held by {@code ownerToken}, each with its result (serialised like a processor's; null stores
   * JSON null), emitting {@code completed} and applying each job's own {@code removeOnComplete}.
   */
  public LeaseResult ack(String ownerToken, Map<String, ?> results) {
    return ops.guard(leases.ack(ownerToken, results)).join();
  }

  /** As {@link #ack(String, Map)}, without blocking. */
  public CompletableFuture<LeaseResult> ackAsync(String ownerToken, Map<String, ?> results) {
    return ops.guard(leases.ack(ownerToken, results)).async();
  }

  /** Completes jobs held by {@code ownerToken} with a null result. */
  public LeaseResult ack(String ownerToken, Collection<String> jobIds) {
    return ops.guard(leases.ack(ownerToken, jobIds)).join();
  }

  /** As {@link #ack(String, Collection)}, without blocking. */
  public CompletableFuture<LeaseResult> ackAsync(String ownerToken, Collection<String> jobIds) {
    return ops.guard(leases.ack(ownerToken, jobIds)).async();
  }

  /**
   * Fails jobs held by {@code ownerToken} with a worker failure's rules: {@code failedReason} and
   * {@code stacktrace} written; retried after the job's backoff (or {@link LeaseFailure#retryAfter}) while
   * attempts remain and the error is not an {@link io.bullpen.UnrecoverableError}, else failed for good. A custom
   * backoff type uses the strategy registered with {@link QueueOptions.Builder#backoffStrategy}.
   */
  public LeaseResult fail(String ownerToken, List<LeaseFailure> failures) {
    return ops.guard(leases.fail(ownerToken, failures)).join();
  }

  /** As {@link #fail}, without blocking. */
  public CompletableFuture<LeaseResult> failAsync(String ownerToken, List<LeaseFailure> failures) {
    return ops.guard(leases.fail(ownerToken, failures)).async();
  }

  /** Puts jobs held by {@code ownerToken} back at the front of wait (or of their priority), using no attempt. */
  public LeaseResult abandon(String ownerToken, Collection<String> jobIds) {
    return ops.guard(leases.abandon(ownerToken, jobIds)).join();
  }

  /** As {@link #abandon}, without blocking. */
  public CompletableFuture<LeaseResult> abandonAsync(String ownerToken, Collection<String> jobIds) {
    return ops.guard(leases.abandon(ownerToken, jobIds)).async();
  }

  /** Renews the leases of jobs held by {@code ownerToken} to {@code duration} from now. */
  public LeaseResult extend(String ownerToken, Collection<String> jobIds, Duration duration) {
    return ops.guard(leases.extend(ownerToken, jobIds, duration)).join();
  }

  /** As {@link #extend}, without blocking. */
  public CompletableFuture<LeaseResult> extendAsync(String ownerToken, Collection<String> jobIds,
      Duration duration) {
    return ops.guard(leases.extend(ownerToken, jobIds, duration)).async();
  }
}
