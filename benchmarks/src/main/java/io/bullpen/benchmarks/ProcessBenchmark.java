package io.bullpen.benchmarks;

import io.bullpen.Job;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.Worker;
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

/** Per-job processing: a {@link Worker} with a no-op processor at concurrency 1, 10 and 100; jobs per second. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, batchSize = 1)
@Measurement(iterations = 5, batchSize = 1)
@Fork(1)
public class ProcessBenchmark extends ConsumerBenchmarkBase {
  @Param({"1", "10", "100"})
  public int concurrency;

  @Override
  protected AutoCloseable newWorker(WorkerListener listener, Runnable[] start) {
    Worker worker = new Worker(queueName, (Job job) -> null, options(concurrency).build());
    worker.addListener(listener);
    start[0] = worker::run;
    return worker;
  }

  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void perJob() throws InterruptedException {
    processAll();
  }
}
