package io.bullpen.redis;

import io.bullpen.Processor;
import java.time.Duration;

/**
 * A worker process for the crash tests: it takes jobs and never finishes them, printing {@code started <jobId>} for
 * each, so a test can kill it with SIGKILL mid-job. Arguments: Redis URI, queue name, prefix, concurrency,
 * lockDuration in ms.
 */
public final class StallingWorkerMain {
  private StallingWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String queue = args[1];
    String prefix = args[2];
    int concurrency = Integer.parseInt(args[3]);
    long lockMillis = Long.parseLong(args[4]);
    Processor hang = job -> {
      System.out.println("started " + job.id());
      System.out.flush();
      new java.util.concurrent.CountDownLatch(1).await();
      return null;
    };
    Worker worker = new Worker(queue, hang, WorkerOptions.builder().redis(RedisConfig.of(uri)).prefix(prefix).concurrency(concurrency)
        .locks(LockOptions.builder().duration(Duration.ofMillis(lockMillis)).build()).runQueueScheduler(false).name("doomed").build());
    System.out.println("ready " + worker.id());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
