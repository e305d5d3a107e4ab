/**
 * Internal: may change without notice. The Redis side of queue-scheduler: job schedulers stored as BullMQ 6
 * writes them ({@link io.bullpen.redis.internal.scheduling.JobSchedulerStore}), the
 * {@link io.bullpen.scheduler.ScheduledQueue} port on Lua scripts, and the delayed-job feed read from the
 * queues' event streams.
 *
 * <p>A feature layer: uses {@code job}, {@code script}, {@code keys}, {@code codec}, queue-api,
 * {@code io.bullpen.scheduler} and (qualified export) {@code io.bullpen.scheduler.internal} for run times.
 */
package io.bullpen.redis.internal.scheduling;
