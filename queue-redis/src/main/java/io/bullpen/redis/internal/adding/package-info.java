/**
 * Internal: may change without notice. Storing new jobs: validated batches in one {@code addJobs} call
 * ({@link io.bullpen.redis.internal.adding.JobAdder}), group commit of concurrent single adds, and flow trees
 * planned up front and stored in one {@code addFlow} call.
 *
 * <p>A feature layer: uses {@code job}, {@code script}, {@code keys}, {@code codec} and queue-api.
 */
package io.bullpen.redis.internal.adding;
