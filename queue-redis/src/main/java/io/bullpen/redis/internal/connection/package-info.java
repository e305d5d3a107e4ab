/**
 * Internal: may change without notice. Lettuce clients and connections configured as Bullpen needs them: the
 * command and blocking connections of a worker, and command timeouts that leave room for blocking reads.
 *
 * <p>Bottom layer: uses {@code io.bullpen}, Lettuce and {@link io.bullpen.redis.RedisConfig}.
 */
package io.bullpen.redis.internal.connection;
