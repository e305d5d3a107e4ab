/**
 * Benchmarks of the operations tools (issue 14's targets) and of the HTTP server (issue 13's): {@link
 * io.bullpen.benchmarks.ops.CliBenchmark} ({@code migrate run} jobs/s between two Redis servers, {@code verify} of
 * a large queue, CLI start-up to first output) and {@link io.bullpen.benchmarks.ops.ServerBenchmark} (cached vs
 * uncached read latency, HTTP add throughput next to direct {@code Queue.add}). Each prints JSON lines with the
 * machine's load average before and after, the Redis and JDK versions; see benchmarks/README.md.
 */
package io.bullpen.benchmarks.ops;
