/**
 * Internal: may change without notice. The JSON side of the wire format: the one Jackson mapper
 * ({@link io.bullpen.redis.internal.codec.Json}), job options to and from BullMQ's short-key {@code opts}
 * ({@link io.bullpen.redis.internal.codec.OptionsCodec}), and the library version written to a queue's meta.
 *
 * <p>Bottom layer: uses {@code io.bullpen}, Jackson, and {@link io.bullpen.redis.RawJson} (passed through
 * unchanged).
 */
package io.bullpen.redis.internal.codec;
