package io.bullpen.benchmarks;

import io.bullpen.JobOutcome;
import io.bullpen.event.WorkerListener;
import io.bullpen.BatchOptions;
import io.bullpen.redis.BatchWorker;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch processing: a {@link BatchWorker} with a no-op batch processor, batches of {@code size} and
 * {@code inFlight / size} batches at once; jobs per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, batchSize = 1)
@Measurement(iterations = 5, batchSize = 1)
@Fork(1)
public class BatchProcessBenchmark extends ConsumerBenchmarkBase {
  @Param({"50"})
  public int size;

  @Param({"100"})
  public int inFlight;

  @Override
  protected AutoCloseable newWorker(WorkerListener listener, Runnable[] start) {
    BatchWorker worker = new BatchWorker(queueName,
        jobs -> Collections.nCopies(jobs.size(), JobOutcome.completed(null)),
        options(Math.max(1, inFlight / size)).build(), BatchOptions.of(size, Duration.ofMillis(5)));
    worker.addListener(listener);
    start[0] = worker::run;
    return worker;
  }

  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void batch() throws InterruptedException {
    processAll();
  }
}
