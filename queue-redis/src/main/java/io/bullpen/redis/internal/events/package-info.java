/**
 * Internal: may change without notice. Reading a queue's event stream for {@code QueueEvents}: blocking XREAD
 * on one thread that resumes after the last entry delivered, and delivery to listeners in stream order.
 *
 * <p>A feature layer: uses {@code script} (for Redis failures), {@code io.bullpen.event} and Lettuce.
 */
package io.bullpen.redis.internal.events;
