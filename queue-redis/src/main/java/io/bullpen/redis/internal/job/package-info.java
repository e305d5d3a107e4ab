/**
 * Internal: may change without notice. A job read from its Redis hash ({@link io.bullpen.redis.internal.job.RedisJob})
 * and the job-level operations behind {@link io.bullpen.Job}'s methods
 * ({@link io.bullpen.redis.internal.job.JobBackend}), plus the in-process listeners a queue tells about them.
 *
 * <p>Uses {@code script}, {@code keys}, {@code codec}, {@code io.bullpen} and {@code io.bullpen.event}.
 */
package io.bullpen.redis.internal.job;
