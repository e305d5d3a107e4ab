/**
 * Bullpen's OpenTelemetry tracing; see {@link io.bullpen.opentelemetry.BullpenTracing} and {@code
 * docs/observability.md}.
 */
package io.bullpen.opentelemetry;
