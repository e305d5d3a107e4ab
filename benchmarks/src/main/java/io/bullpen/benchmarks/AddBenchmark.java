package io.bullpen.benchmarks;

import io.bullpen.JobSpec;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Producer throughput: {@code Queue.add} one job per call (a script round trip each) and {@code Queue.addBulk}
 * of 1000 jobs in one script call. Redis is {@code REDIS_URL}, or an embedded server started for the fork;
 * each trial uses a fresh queue, obliterated afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class AddBenchmark {
  private static final int BULK = 1000;
  private static final Map<String, Object> DATA = Map.of("user", 42, "action", "resize", "size", "small");

  private RunningRedis redis;
  private Queue queue;
  private List<JobSpec> bulk;

  @Setup(Level.Trial)
  public void start() {
    redis = RedisLauncher.start();
    queue = new Queue("bench-add-" + UUID.randomUUID(),
        QueueOptions.builder().redis(RedisConfig.of(redis.uri())).build());
    bulk = new ArrayList<>(BULK);
    for (int i = 0; i < BULK; i++) {
      bulk.add(new JobSpec("job", DATA, null));
    }
  }

  @TearDown(Level.Iteration)
  public void emptyQueue() {
    queue.drain(true);
  }

  @TearDown(Level.Trial)
  public void stop() {
    queue.obliterate(true);
    queue.close();
    redis.close();
  }

  /** One job per call, awaited: bounded by one Redis round trip plus the add script. */
  @Benchmark
  public Object addOne() {
    return queue.add("job", DATA);
  }

  /** 1000 jobs per call in one atomic script; the score is jobs per second. */
  @Benchmark
  @OperationsPerInvocation(BULK)
  public Object addBulk1000() {
    return queue.addBulk(bulk);
  }
}
