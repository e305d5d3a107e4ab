package io.bullpen.redis;

/**
 * A {@code main} that starts a worker and returns at once, as a small service would: the worker's threads must
 * keep the JVM alive. It prints {@code processed <id>} per job and closes the worker after the first one, after
 * which the JVM must end by itself. Arguments: Redis URI, queue name.
 */
public final class MainReturnsWorkerMain {
  private MainReturnsWorkerMain() {}

  public static void main(String[] args) {
    Worker[] worker = new Worker[1];
    worker[0] = new Worker(args[1], job -> {
      System.out.println("processed " + job.id());
      System.out.flush();
      // Closing waits for this job, so it runs on a thread of its own.
      new Thread(() -> worker[0].close(), "closer").start();
      return null;
    }, WorkerOptions.builder().redis(RedisConfig.of(args[0])).build());
    System.out.println("ready");
    System.out.flush();
  }
}
