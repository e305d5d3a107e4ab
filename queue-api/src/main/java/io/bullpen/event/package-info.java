/**
 * What queues and workers report: {@link io.bullpen.event.QueueEvent}, the typed entries of BullMQ's event
 * stream, and the in-process {@link io.bullpen.event.QueueListener} and {@link io.bullpen.event.WorkerListener}
 * callbacks.
 *
 * <p>Uses {@code io.bullpen} and the JDK only; reading the stream from Redis is {@code io.bullpen.redis}'s job.
 */
package io.bullpen.event;
