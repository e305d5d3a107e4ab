/**
 * Time-driven queue duties without Redis: {@link io.bullpen.scheduler.QueueScheduler} promotes due delayed jobs
 * and recovers stalled ones through the small {@link io.bullpen.scheduler.ScheduledQueue} port (optionally woken
 * by a {@link io.bullpen.scheduler.DelayedJobFeed}), reading time from a {@link io.bullpen.scheduler.Ticker};
 * {@link io.bullpen.scheduler.Repeat} holds a job scheduler's cron or interval options.
 *
 * <p>Uses {@code io.bullpen}, {@code io.bullpen.scheduler.internal} and SLF4J. Storage backends (queue-redis)
 * implement the port; this package never depends on them.
 */
package io.bullpen.scheduler;
