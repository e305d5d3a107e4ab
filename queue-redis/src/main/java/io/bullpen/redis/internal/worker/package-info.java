/**
 * Internal: may change without notice. The one worker engine behind {@code Worker} and {@code BatchWorker}
 * ({@link io.bullpen.redis.internal.worker.WorkerCore}): the fetch loop, job starts and settle planning shared by
 * both kinds, the two work sources (one job per slot, one batch per slot), the shared run state, lock renewal,
 * the marker wait, cancellation, log buffering, in-process worker events and the embedded queue scheduler.
 *
 * <p>Top layer: may use every other internal package, queue-api, queue-scheduler, and the value types of
 * {@code io.bullpen.redis} ({@code WorkerOptions}, {@code RedisConfig}), but not its entry classes.
 */
package io.bullpen.redis.internal.worker;
