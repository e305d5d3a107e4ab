/**
 * Internal: may change without notice. The integrity check of one queue ({@link
 * io.bullpen.redis.internal.integrity.IntegrityScan} reads every key, {@link
 * io.bullpen.redis.internal.integrity.IntegrityCheck} turns what it read into findings, re-checked atomically
 * with the {@code checkJobs} script) and the safe repairs ({@code repairIntegrity}).
 *
 * <p>A feature layer: uses {@code script}, {@code keys} and queue-api.
 */
package io.bullpen.redis.internal.integrity;
