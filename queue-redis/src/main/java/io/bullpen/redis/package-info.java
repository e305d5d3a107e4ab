/**
 * Bullpen on Redis, wire-compatible with BullMQ 6: {@link io.bullpen.redis.Queue} (producer and queue control),
 * {@link io.bullpen.redis.Worker} and {@link io.bullpen.redis.BatchWorker}, {@link io.bullpen.redis.QueueEvents},
 * {@link io.bullpen.redis.FlowProducer} and {@link io.bullpen.redis.QueueSchedulers}, with their immutable
 * options, {@link io.bullpen.redis.RedisConfig} and {@link io.bullpen.redis.RawJson}.
 *
 * <p>The only exported package of queue-redis. These classes wire the machinery of
 * {@code io.bullpen.redis.internal} together and may use any of it, plus queue-api, queue-scheduler and Lettuce.
 */
package io.bullpen.redis;
