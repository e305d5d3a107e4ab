/**
 * Bullpen's Micrometer meters. {@link io.bullpen.micrometer.BullpenMetrics} is registered as the observer of
 * queues and workers and bound to a {@code MeterRegistry}; see {@code docs/observability.md} for every meter.
 */
package io.bullpen.micrometer;
