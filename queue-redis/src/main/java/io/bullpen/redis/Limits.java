package io.bullpen.redis;

import io.bullpen.GroupLimits;
import io.bullpen.InvalidOptionException;
import io.bullpen.Limiter;
import io.bullpen.redis.internal.admin.Deduplications;
import io.bullpen.redis.internal.admin.GroupControls;
import io.bullpen.redis.internal.admin.QueueLimits;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * What holds a queue's jobs back ({@code queue.limits()}): BullMQ 6's global concurrency and rate limit (meta
 * fields every worker, Node or Java, reads at fetch time) and its manual rate limit; Bullpen's per-group limits;
 * and BullMQ's deduplication ids, which hold back duplicate adds (a deduplication with a ttl is a throttle).
 * Methods keep BullMQ's names where BullMQ has the operation.
 *
 * <pre>{@code
 * Limits limits = queue.limits();
 * limits.setGlobalRateLimit(100, 60_000);
 * limits.setGlobalConcurrency(4);
 * limits.setGroupLimits("customer-42", GroupLimits.rate(100, 60_000).withConcurrency(2));
 * limits.removeDeduplicationKey("sync-user-7");
 * }</pre>
 */
public final class Limits {
  private final QueueOperations ops;
  private final QueueLimits global;
  private final GroupControls groups;
  private final Deduplications deduplications;

  Limits(QueueOperations ops) {
    this.ops = ops;
    this.global = new QueueLimits(ops.scripts);
    this.groups = new GroupControls(ops.scripts);
    this.deduplications = new Deduplications(ops.scripts);
  }

  /** At most {@code concurrency} jobs of this queue run at once across all workers, Node and Java (meta). */
  public void setGlobalConcurrency(int concurrency) {
    ops.guard(global.setConcurrency(concurrency)).join();
  }

  /** As {@link #setGlobalConcurrency}, without blocking. */
  public CompletableFuture<Void> setGlobalConcurrencyAsync(int concurrency) {
    return ops.guard(global.setConcurrency(concurrency)).async();
  }

  public void removeGlobalConcurrency() {
    ops.guard(global.removeConcurrency()).join();
  }

  /** As {@link #removeGlobalConcurrency}, without blocking. */
  public CompletableFuture<Void> removeGlobalConcurrencyAsync() {
    return ops.guard(global.removeConcurrency()).async();
  }

  public OptionalInt getGlobalConcurrency() {
    return ops.guard(global.concurrency()).join();
  }

  /** As {@link #getGlobalConcurrency}, without blocking. */
  public CompletableFuture<OptionalInt> getGlobalConcurrencyAsync() {
    return ops.guard(global.concurrency()).async();
  }

  /**
   * At most {@code max} jobs started per {@code durationMillis} (a fixed window) across all workers; overrides
   * each worker's own limiter {@code max}, as in BullMQ.
   */
  public void setGlobalRateLimit(int max, long durationMillis) {
    ops.guard(global.setRateLimit(new Limiter(max, durationMillis))).join();
  }

  /** As {@link #setGlobalRateLimit}, without blocking. */
  public CompletableFuture<Void> setGlobalRateLimitAsync(int max, long durationMillis) {
    return ops.guard(global.setRateLimit(new Limiter(max, durationMillis))).async();
  }

  public void removeGlobalRateLimit() {
    ops.guard(global.removeRateLimit()).join();
  }

  /** As {@link #removeGlobalRateLimit}, without blocking. */
  public CompletableFuture<Void> removeGlobalRateLimitAsync() {
    return ops.guard(global.removeRateLimit()).async();
  }

  public Optional<Limiter> getGlobalRateLimit() {
    return ops.guard(global.rateLimit()).join();
  }

  /** As {@link #getGlobalRateLimit}, without blocking. */
  public CompletableFuture<Optional<Limiter>> getGlobalRateLimitAsync() {
    return ops.guard(global.rateLimit()).async();
  }

  /**
   * Stops every worker that has a rate limit (its own limiter or the global one) from starting jobs for
   * {@code millis} (BullMQ's manual rate limit).
   */
  public void rateLimit(long millis) {
    ops.guard(global.rateLimitFor(millis)).join();
  }

  /** As {@link #rateLimit}, without blocking. */
  public CompletableFuture<Void> rateLimitAsync(long millis) {
    return ops.guard(global.rateLimitFor(millis)).async();
  }

  /** Milliseconds until the queue's rate-limit window reopens, 0 when it is open (BullMQ's getRateLimitTtl). */
  public long getRateLimitTtl() {
    return ops.guard(global.rateLimitTtl(0).map(ttl -> Math.max(0, ttl))).join();
  }

  /** As {@link #getRateLimitTtl}, without blocking. */
  public CompletableFuture<Long> getRateLimitTtlAsync() {
    return ops.guard(global.rateLimitTtl(0).map(ttl -> Math.max(0, ttl))).async();
  }

  /**
   * Limits of one job group (jobs added with {@code JobOptions.builder().group(id)}), enforced atomically by
   * every Bullpen worker of the queue; replaces the group's previous limits.
   */
  public void setGroupLimits(String groupId, GroupLimits limits) {
    ops.guard(groups.set(requireGroup(groupId), limits)).join();
  }

  /** As {@link #setGroupLimits}, without blocking. */
  public CompletableFuture<Void> setGroupLimitsAsync(String groupId, GroupLimits limits) {
    return ops.guard(groups.set(requireGroup(groupId), limits)).async();
  }

  public Optional<GroupLimits> getGroupLimits(String groupId) {
    return ops.guard(groups.get(requireGroup(groupId))).join();
  }

  /** As {@link #getGroupLimits}, without blocking. */
  public CompletableFuture<Optional<GroupLimits>> getGroupLimitsAsync(String groupId) {
    return ops.guard(groups.get(requireGroup(groupId))).async();
  }

  /** Removes the group's own limits (the defaults then apply). */
  public void removeGroupLimits(String groupId) {
    ops.guard(groups.remove(requireGroup(groupId))).join();
  }

  /** As {@link #removeGroupLimits}, without blocking. */
  public CompletableFuture<Void> removeGroupLimitsAsync(String groupId) {
    return ops.guard(groups.remove(requireGroup(groupId))).async();
  }

  /** Limits of every group that has none of its own. */
  public void setDefaultGroupLimits(GroupLimits limits) {
    ops.guard(groups.set(null, limits)).join();
  }

  /** As {@link #setDefaultGroupLimits}, without blocking. */
  public CompletableFuture<Void> setDefaultGroupLimitsAsync(GroupLimits limits) {
    return ops.guard(groups.set(null, limits)).async();
  }

  public Optional<GroupLimits> getDefaultGroupLimits() {
    return ops.guard(groups.get(null)).join();
  }

  /** As {@link #getDefaultGroupLimits}, without blocking. */
  public CompletableFuture<Optional<GroupLimits>> getDefaultGroupLimitsAsync() {
    return ops.guard(groups.get(null)).async();
  }

  public void removeDefaultGroupLimits() {
    ops.guard(groups.remove(null)).join();
  }

  /** As {@link #removeDefaultGroupLimits}, without blocking. */
  public CompletableFuture<Void> removeDefaultGroupLimitsAsync() {
    return ops.guard(groups.remove(null)).async();
  }

  /** Jobs of the group waiting for their turn. */
  public long getGroupWaitingCount(String groupId) {
    return ops.guard(groups.waitingCount(groupId)).join();
  }

  /** As {@link #getGroupWaitingCount}, without blocking. */
  public CompletableFuture<Long> getGroupWaitingCountAsync(String groupId) {
    return ops.guard(groups.waitingCount(groupId)).async();
  }

  /** The id of the job owning deduplication id {@code deduplicationId}, if one does. */
  public Optional<String> getDeduplicationJobId(String deduplicationId) {
    return ops.guard(deduplications.owner(deduplicationId)).join();
  }

  /** As {@link #getDeduplicationJobId}, without blocking. */
  public CompletableFuture<Optional<String>> getDeduplicationJobIdAsync(String deduplicationId) {
    return ops.guard(deduplications.owner(deduplicationId)).async();
  }

  /** Frees a deduplication id so the next add with it is stored; returns whether a job owned it. */
  public boolean removeDeduplicationKey(String deduplicationId) {
    return ops.guard(deduplications.remove(deduplicationId)).join();
  }

  /** As {@link #removeDeduplicationKey}, without blocking. */
  public CompletableFuture<Boolean> removeDeduplicationKeyAsync(String deduplicationId) {
    return ops.guard(deduplications.remove(deduplicationId)).async();
  }

  private static String requireGroup(String groupId) {
    if (groupId == null) {
      throw new InvalidOptionException("groupId", null, "must not be null (use the default group limits)");
    }
    return groupId;
  }
}
