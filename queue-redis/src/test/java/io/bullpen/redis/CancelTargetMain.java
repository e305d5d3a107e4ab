package io.bullpen.redis;

import java.time.Duration;

/**
 * Run in a second JVM by {@link CancellationTest}: a worker whose processor waits for its cancellation, logs
 * what it saw and stops; the JVM exits once that job failed or after args[2] ms. Args: redis uri, queue name,
 * longest run ms.
 */
public final class CancelTargetMain {
  private CancelTargetMain() {}

  public static void main(String[] args) throws Exception {
    WorkerOptions options = WorkerOptions.builder().redis(RedisConfig.of(args[0]))
        .drainDelay(Duration.ofMillis(200)).build();
    try (Worker worker = new Worker(args[1], job -> {
      job.log("waiting in pid " + ProcessHandle.current().pid());
      if (job.cancellation().await(Duration.ofSeconds(20))) {
        job.log("saw cancel: " + job.cancellation().reason().orElse("?"));
        job.cancellation().throwIfCancelled();
      }
      return "not cancelled";
    }, options)) {
      java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
      worker.addListener(new io.bullpen.event.WorkerListener() {
        @Override
        public void onError(Throwable error) {
          System.out.println("ERROR " + error);
        }

        @Override
        public void onFailed(io.bullpen.Job job, Throwable error) {
          failed.countDown();
        }
      });
      System.out.println("READY");
      System.out.flush();
      failed.await(Long.parseLong(args[2]), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }
}
