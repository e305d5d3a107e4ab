/**
 * Internal: may change without notice. Read-only queries: job pages, counts, logs and the paused flag of a
 * queue, and whole flow trees read in one consistent step.
 *
 * <p>A feature layer: uses {@code job}, {@code script}, {@code keys} and queue-api.
 */
package io.bullpen.redis.internal.reading;
