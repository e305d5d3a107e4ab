/**
 * Internal: may change without notice. Queue-wide control: pause, resume, drain, clean, obliterate and bulk
 * moves ({@link io.bullpen.redis.internal.admin.QueueMaintenance}); global concurrency and rate limits and
 * deduplication keys; group limits; the dead-letter setting and its replay.
 *
 * <p>A feature layer: uses {@code script}, {@code keys} and queue-api.
 */
package io.bullpen.redis.internal.admin;
