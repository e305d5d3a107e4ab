/**
 * The observation seam: what metrics and tracing modules ({@code queue-micrometer}, {@code queue-opentelemetry})
 * plug into. A {@link io.bullpen.observe.JobObserver} registered on a queue's or a worker's options hears every
 * add, attempt, settle, stalled job and failed lock renewal, with the timings it needs, can put propagation
 * headers into a job at add time (BullMQ's {@code opts.tm}) and can make a context current around the processor
 * call. Without an observer the core does no extra work.
 */
package io.bullpen.observe;
