/**
 * Internal: may change without notice. Every Redis key name of a queue in BullMQ 6's layout
 * ({@link io.bullpen.redis.internal.keys.QueueKeys}), built here and nowhere else, and the prefix rules.
 *
 * <p>Bottom layer: uses {@code io.bullpen} only.
 */
package io.bullpen.redis.internal.keys;
