package io.bullpen.benchmarks;

import io.bullpen.Job;
import io.bullpen.event.WorkerListener;
import io.bullpen.JobSpec;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Shared set-up of the consumer benchmarks: a Redis for the fork, and before each invocation a queue refilled with
 * {@value #JOBS} no-op jobs and a worker built but not started; the invocation starts it and waits for the last
 * completion, so the score is jobs per second of processing alone.
 */
@State(Scope.Benchmark)
public abstract class ConsumerBenchmarkBase {
  static final int JOBS = 5_000;

  private RunningRedis redis;
  protected RedisConfig config;
  protected String queueName;
  private Queue queue;
  private List<JobSpec> chunk;
  private CountDownLatch done;
  private AutoCloseable worker;
  private Runnable start;

  /** A started-on-demand worker for the queue; {@code listener} must hear every completion. */
  protected abstract AutoCloseable newWorker(WorkerListener listener, Runnable[] start);

  protected WorkerOptions.Builder options(int concurrency) {
    return WorkerOptions.builder().redis(config).concurrency(concurrency).autorun(false);
  }

  @Setup(Level.Trial)
  public void startRedis() {
    redis = RedisLauncher.start();
    config = RedisConfig.of(redis.uri());
    queueName = "bench-consume-" + UUID.randomUUID();
    queue = new Queue(queueName, QueueOptions.builder().redis(config).build());
    chunk = new ArrayList<>(1000);
    for (int i = 0; i < 1000; i++) {
      chunk.add(JobSpec.of("job", Map.of("i", i), null));
    }
  }

  @Setup(Level.Invocation)
  public void prepare() {
    queue.obliterate(true);
    queue.resume();
    for (int i = 0; i < JOBS; i += 1000) {
      queue.addBulk(chunk);
    }
    done = new CountDownLatch(JOBS);
    Runnable[] starter = new Runnable[1];
    worker = newWorker(new WorkerListener() {
      @Override
      public void onCompleted(Job job, Object result) {
        done.countDown();
      }
    }, starter);
    start = starter[0];
  }

  protected void processAll() throws InterruptedException {
    start.run();
    if (!done.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("jobs left unprocessed: " + done.getCount());
    }
  }

  @TearDown(Level.Invocation)
  public void stopWorker() throws Exception {
    worker.close();
  }

  @TearDown(Level.Trial)
  public void stopRedis() {
    queue.obliterate(true);
    queue.close();
    redis.close();
  }
}
