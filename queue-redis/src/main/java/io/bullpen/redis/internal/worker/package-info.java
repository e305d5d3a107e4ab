/**
 * Internal: may change without notice. The worker engine behind {@code Worker} and {@code BatchWorker}: the
 * fetch loops, running attempts on the executor and settling them, the shared run state, lock renewal, the
 * marker wait, cancellation, log buffering, in-process worker events and the embedded queue scheduler.
 *
 * <p>Top layer: may use every other internal package, queue-api, queue-scheduler, and the value types of
 * {@code io.bullpen.redis} ({@code WorkerOptions}, {@code RedisConfig}), but not its entry classes.
 */
package io.bullpen.redis.internal.worker;
