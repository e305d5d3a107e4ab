/**
 * Bullpen and BullMQ 6 on the same scenarios against one Redis, with JSON result lines and ratios
 * ({@link io.bullpen.benchmarks.sidebyside.SideBySide}).
 *
 * <p>Uses only the public API, the test kit and Lettuce (for Redis-side measurements).
 */
package io.bullpen.benchmarks.sidebyside;
