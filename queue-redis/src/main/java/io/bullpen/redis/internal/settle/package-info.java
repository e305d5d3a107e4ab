/**
 * Internal: may change without notice. Moving active jobs on: the worker's fetch and finish scripts
 * ({@link io.bullpen.redis.internal.settle.WorkerScripts}), the many-jobs-per-call claim and settle scripts
 * ({@link io.bullpen.redis.internal.settle.BatchScripts}) with their operation and result records, the retry-or-fail
 * decision ({@link io.bullpen.redis.internal.settle.FailurePlanner}) and group commit of completions.
 *
 * <p>A feature layer: uses {@code job}, {@code script}, {@code keys}, {@code codec} and queue-api. Shared by
 * {@code lease} and {@code worker}.
 */
package io.bullpen.redis.internal.settle;
