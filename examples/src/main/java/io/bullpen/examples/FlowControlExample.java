package io.bullpen.examples;

import io.bullpen.Deduplication;
import io.bullpen.GroupLimits;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobRouter;
import io.bullpen.JobState;
import io.bullpen.Processor;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.Limits;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The flow-control guide, one queue per section: global limits (which hold back claims as they hold back
 * workers), per-group limits under a worker, deduplication ids, cancellation of running jobs, and routing by job
 * name. Prints:
 *
 * <pre>
 * Limiter[max=100, durationMillis=60000], concurrency 4
 * started 4: [1, 2, 3, 4]
 * window reopens in at most 5 s
 * started 0: []
 * started 6: [5, 6, 7, 8, 9, 10]
 * customer-42: 4 waiting, GroupLimits[rate=Limiter[max=100, durationMillis=60000], concurrency=2]
 * 5 charges done; customer-42 never had more than 2 at once: true
 * customer-42: Optional.empty, defaults GroupLimits[rate=Limiter[max=10, durationMillis=1000], concurrency=null]
 * added job 1, then got job 1 back; sync-user-7 owned by job 1
 * after removeDeduplicationKey: job 3
 * autosave: job 5 replaced job 4
 * job 1 failed: user pressed stop
 * job 2 failed: shutting down this one
 * job 3 failed: maintenance
 * cancelling job 1 again: false
 * job 1 (resize) COMPLETED: "cat.jpg at 100 px"
 * job 2 (crop) COMPLETED: "dog.jpg cropped to 50x50"
 * job 3 (rotate) FAILED: no handler for job name "rotate" (job 3); this worker handles [crop, resize]
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.FlowControlExample}.
 */
public final class FlowControlExample {
  /** A grouped job's data: a charge for a customer. */
  public record Charge(String customer, int cents) {}

  /** A deduplicated job's data. */
  public record SyncUser(int user) {}

  /** A debounced job's data: the latest text of a document. */
  public record Draft(int document, String text) {}

  /** A cancellable job's data: an export of many pages. */
  public record Export(int pages) {}

  /** A routed job's data. */
  public record Resize(String image, int width) {}

  /** A routed job's data. */
  public record Crop(String image, int width, int height) {}

  /** A stand-in for an image library. */
  static final class Images {
    String resize(Resize r) {
      return r.image() + " at " + r.width() + " px";
    }

    String crop(Crop c) {
      return c.image() + " cropped to " + c.width() + "x" + c.height();
    }
  }

  /** A stand-in for an export's output: writing a page reports it as the job's progress. */
  static final class Pages {
    private final CountDownLatch started;

    Pages(int jobs) {
      this.started = new CountDownLatch(jobs);
    }

    void write(Job job, int page) {
      job.updateProgress(page);
      if (page == 1) {
        started.countDown();
      }
    }

    void awaitStarted() throws InterruptedException {
      await(started, "the exports to start");
    }
  }

  private FlowControlExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "flow-control", System.out);
    }
  }

  /** Every section, each on its own queue named {@code queueName-<section>}. */
  public static void run(String redisUri, String queueName, PrintStream out) throws InterruptedException {
    globalLimits(redisUri, queueName + "-limits", out);
    groupLimits(redisUri, queueName + "-groups", out);
    deduplication(redisUri, queueName + "-dedup", out);
    cancellation(redisUri, queueName + "-exports", out);
    routing(redisUri, queueName + "-images", out);
  }

  /** Ten jobs (1-10) started through claims while the queue's global limits change. */
  static void globalLimits(String redisUri, String queueName, PrintStream out) {
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redisUri)))) {
      for (int page = 1; page <= 10; page++) {
        queue.add("sync", Map.of("page", page));
      }
      // region limits
      Limits limits = queue.limits();
      limits.setGlobalRateLimit(100, 60_000);   // meta max/duration: at most 100 starts per fixed 60 s window
      limits.setGlobalConcurrency(4);           // meta concurrency: at most 4 jobs of the queue active at once
      out.println(limits.getGlobalRateLimit().orElseThrow() + ", concurrency "
          + limits.getGlobalConcurrency().getAsInt());
      startAll(queue, out);                     // claims what may start: 4 of the 10 jobs (then completes them)
      limits.rateLimit(5_000);                  // manual: `limiter` = 2^53-1 for 5 s; holds workers that have a max
      long ttl = limits.getRateLimitTtl();      // ms until the window reopens (0 = open)
      out.println("window reopens in " + (ttl > 0 && ttl <= 5_000 ? "at most 5 s" : ttl + " ms"));
      startAll(queue, out);                     // none: the window is closed
      limits.removeGlobalRateLimit();
      limits.removeGlobalConcurrency();
      startAll(queue, out);                     // the other 6
      // endregion
    }
  }

  /** Starts (claims) every job the queue lets start now, completes them and prints their ids. */
  static void startAll(Queue queue, PrintStream out) {
    List<String> ids = queue.leases().claim("starter", Duration.ofSeconds(30), 100).stream().map(Job::id).toList();
    queue.leases().ack("starter", ids);
    out.println("started " + ids.size() + ": " + ids);
  }

  /** Five charges of two customers (groups), run by a worker under the groups' limits. */
  static void groupLimits(String redisUri, String queueName, PrintStream out) throws InterruptedException {
    RedisConfig redis = RedisConfig.of(redisUri);
    try (Queue queue = new Queue(queueName, QueueOptions.of(redis))) {
      // region groups
      Limits limits = queue.limits();
      limits.setDefaultGroupLimits(GroupLimits.rate(10, 1_000));         // every group: 10 starts per second
      limits.setGroupLimits("customer-42", GroupLimits.rate(100, 60_000).withConcurrency(2));
      for (int cents : List.of(1_000, 2_500, 400, 9_900)) {
        queue.add("charge", new Charge("customer-42", cents), JobOptions.builder().group("customer-42").build());
      }
      queue.add("charge", new Charge("customer-7", 1_200), JobOptions.builder().group("customer-7").build());
      out.println("customer-42: " + limits.getGroupWaitingCount("customer-42") + " waiting, "
          + limits.getGroupLimits("customer-42").orElseThrow());
      chargeAll(redis, queueName, 5, out);   // a worker with concurrency 4; customer-42 runs at most 2 at once
      limits.removeGroupLimits("customer-42");                            // the defaults apply to it again
      out.println("customer-42: " + limits.getGroupLimits("customer-42") + ", defaults "
          + limits.getDefaultGroupLimits().orElseThrow());
      // endregion
    }
  }

  /** Runs {@code count} charges with a worker of concurrency 4, noting how many of each customer ran at once. */
  static void chargeAll(RedisConfig redis, String queueName, int count, PrintStream out)
      throws InterruptedException {
    Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(count);
    Processor charge = job -> {
      String customer = job.data(Charge.class).customer();
      int now = running.computeIfAbsent(customer, c -> new AtomicInteger()).incrementAndGet();
      most.computeIfAbsent(customer, c -> new AtomicInteger()).accumulateAndGet(now, Math::max);
      job.log("charged");                         // some work: one Redis call when the job ends
      running.get(customer).decrementAndGet();
      return null;
    };
    try (Worker worker = new Worker(queueName, charge, WorkerOptions.builder().redis(redis).concurrency(4).build())) {
      worker.addListener(new WorkerListener() {
        @Override
        public void onCompleted(Job job, Object result) {
          done.countDown();
        }
      });
      await(done, count + " charges");
    }
    out.println(count + " charges done; customer-42 never had more than 2 at once: "
        + (most.get("customer-42").get() <= 2));
  }

  /** Deduplicated adds: an id held until its job finishes, and a debounce that keeps the last of a burst. */
  static void deduplication(String redisUri, String queueName, PrintStream out) {
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redisUri)))) {
      // region deduplication
      Deduplication untilFinished = Deduplication.of("sync-user-7");           // until its job finishes
      Deduplication throttle = Deduplication.of("sync-user-7").withTtl(10_000);   // or for 10 s at most
      Deduplication sliding = Deduplication.of("sync-user-7").withTtl(5_000).withExtend();   // ttl restarts
      Deduplication keepLast = Deduplication.of("sync-user-7").withKeepLastIfActive();   // one more run after it

      JobOptions once = JobOptions.builder().deduplication(untilFinished).build();
      Job first = queue.add("sync", new SyncUser(7), once);
      Job second = queue.add("sync", new SyncUser(7), once);          // absorbed: stores nothing, returns the owner
      out.println("added job " + first.id() + ", then got job " + second.id() + " back; sync-user-7 owned by job "
          + queue.limits().getDeduplicationJobId("sync-user-7").orElseThrow());
      queue.limits().removeDeduplicationKey("sync-user-7");           // the next add is stored
      out.println("after removeDeduplicationKey: job " + queue.add("sync", new SyncUser(7), once).id());

      // Debounce: a delayed job that each duplicate replaces while it waits, restarting the ttl
      JobOptions debounced = JobOptions.builder().delay(5_000)
          .deduplication(Deduplication.of("autosave-9").withTtl(5_000).withReplace().withExtend()).build();
      Job draft = queue.add("autosave", new Draft(9, "v1"), debounced);
      Job latest = queue.add("autosave", new Draft(9, "v2"), debounced);
      out.println("autosave: job " + latest.id() + " replaced job " + draft.id());
      // endregion
    }
  }

  /** Three exports (jobs 1-3) cancelled while they run, each in another way. */
  static void cancellation(String redisUri, String queueName, PrintStream out) throws InterruptedException {
    RedisConfig redis = RedisConfig.of(redisUri);
    Pages pages = new Pages(3);
    // region cancel-processor
    Processor export = job -> {
      Export request = job.data(Export.class);
      for (int page = 1; page <= request.pages(); page++) {
        job.cancellation().throwIfCancelled();        // or isCancelled(), await(timeout), onCancel(callback)
        pages.write(job, page);                       // one page of the export
      }
      return request.pages() + " pages";
    };
    // endregion
    Semaphore failures = new Semaphore(0);
    try (Queue queue = new Queue(queueName, QueueOptions.of(redis));
        Worker worker = new Worker(queueName, export, WorkerOptions.builder().redis(redis).concurrency(3).build())) {
      worker.addListener(new WorkerListener() {
        @Override
        public void onFailed(Job job, Throwable error) {
          failures.release();
        }
      });
      JobOptions retried = JobOptions.builder().attempts(3).build();
      Job first = queue.add("export", new Export(1_000_000), retried);
      Job second = queue.add("export", new Export(1_000_000), retried);
      queue.add("export", new Export(1_000_000), retried);
      pages.awaitStarted();                                      // all three are running

      // region cancel
      queue.cancelJob(first.id(), "user pressed stop");          // from any process; false when already finished
      worker.cancelJob(second.id(), "shutting down this one");   // local, as BullMQ's worker.cancelJob
      awaitFailures(failures, 2);                                // both fail, and are not retried
      worker.cancelAllJobs("maintenance");                       // every job this worker runs: the third
      // queue.cancelJob(id, reason, true) retries the job afterwards if attempts remain
      // endregion
      awaitFailures(failures, 1);
      for (String id : List.of("1", "2", "3")) {
        out.println("job " + id + " failed: " + queue.getJob(id).orElseThrow().failedReason().orElse("?"));
      }
      out.println("cancelling job 1 again: " + queue.cancelJob(first.id(), "again"));
    }
  }

  /** A resize, a crop and a rotate (jobs 1-3) for a worker that routes by job name. */
  static void routing(String redisUri, String queueName, PrintStream out) throws InterruptedException {
    WorkerOptions options = WorkerOptions.builder().redis(RedisConfig.of(redisUri)).build();
    Images images = new Images();
    // region routing
    JobRouter router = JobRouter.builder()
        .handle("resize", job -> images.resize(job.data(Resize.class)))
        .handle("crop", job -> images.crop(job.data(Crop.class)))
        .build();
    try (Worker worker = new Worker(queueName, router, options)) {
      addImageJobs(worker, options.redis(), queueName, out);   // a resize, a crop, and a rotate nobody handles
    }
    // endregion
  }

  /** Adds the three jobs, waits for them to finish and prints how each ended. */
  static void addImageJobs(Worker worker, RedisConfig redis, String queueName, PrintStream out)
      throws InterruptedException {
    CountDownLatch finished = new CountDownLatch(3);
    worker.addListener(new WorkerListener() {
      @Override
      public void onCompleted(Job job, Object result) {
        finished.countDown();
      }

      @Override
      public void onFailed(Job job, Throwable error) {
        finished.countDown();
      }
    });
    try (Queue queue = new Queue(queueName, QueueOptions.of(redis))) {
      queue.add("resize", new Resize("cat.jpg", 100));
      queue.add("crop", new Crop("dog.jpg", 50, 50));
      queue.add("rotate", Map.of("image", "cow.jpg", "degrees", 90));
      await(finished, "the image jobs");
      for (String id : List.of("1", "2", "3")) {
        Job job = queue.getJob(id).orElseThrow();
        JobState state = job.state();
        out.println("job " + id + " (" + job.name() + ") " + state + ": "
            + (state == JobState.COMPLETED ? job.returnValueJson().orElse("") : job.failedReason().orElse("")));
      }
    }
  }

  private static void awaitFailures(Semaphore failures, int count) throws InterruptedException {
    if (!failures.tryAcquire(count, 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("waited 30 s for " + count + " more failed jobs");
    }
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("waited 30 s for " + what);
    }
  }
}
