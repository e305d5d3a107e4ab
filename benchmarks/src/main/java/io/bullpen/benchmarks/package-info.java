/**
 * JMH benchmarks of adding and processing jobs, each against a Redis started for the fork.
 *
 * <p>Uses only the public API and the test kit, so the numbers measure what users get.
 */
package io.bullpen.benchmarks;
