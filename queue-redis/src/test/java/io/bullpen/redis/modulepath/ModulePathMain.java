package io.bullpen.redis.modulepath;

import io.bullpen.Job;
import io.bullpen.JobSpec;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.scheduler.Repeat;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Run by {@link ModulePathTest} in a JVM that has Bullpen on the module path and this class in the unnamed
 * module, as a modular deployment would. Prints what it saw, one {@code KEY value} line each, and exits 0 when
 * everything worked. Args: redis uri, queue name.
 *
 * <p>Its package must be one the module does not hold: a class path copy of a module's package is never seen.
 */
public final class ModulePathMain {
  /** Job data and result from the unnamed module: Jackson, inside its own named module, must read and write them. */
  public record Resize(String image, int width) {}

  public record Resized(String image, int width, long bytes) {}

  private ModulePathMain() {}

  public static void main(String[] args) throws Exception {
    Module bullpen = Queue.class.getModule();
    System.out.println("MODULE " + bullpen.getName());
    System.out.println("EXPORTED_API " + bullpen.isExported("io.bullpen.redis"));
    System.out.println("EXPORTED_INTERNAL " + bullpen.isExported("io.bullpen.redis.internal.script"));
    QueueOptions queueOptions = QueueOptions.of(RedisConfig.of(args[0]));
    WorkerOptions workerOptions = WorkerOptions.builder().redis(RedisConfig.of(args[0]))
        .drainDelay(Duration.ofMillis(200)).build();
    try (Queue queue = new Queue(args[1], queueOptions)) {
      // Lua scripts are resources of the named module; adding runs addJobs with its includes.
      Job added = queue.add("resize", new Resize("cat.png", 64));
      try (Worker worker = new Worker(args[1], job -> {
        Resize resize = job.data(Resize.class);
        return new Resized(resize.image(), resize.width(), resize.width() * 10L);
      }, workerOptions)) {
        Optional<Resized> result = Optional.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (result.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(50);
          result = queue.getJob(added.id()).flatMap(job -> job.returnValue(Resized.class));
        }
        System.out.println("RESULT " + result.map(Resized::toString).orElse("none"));
      }
      // Cron run times come from queue-scheduler's internal package, exported to queue-redis alone.
      Job next = queue.schedulers().upsert("yearly", Repeat.cron("0 0 0 1 1 *").tz("UTC").build(),
          JobSpec.of("report", Map.of()));
      System.out.println("SCHEDULED " + (next.delay() > 0));
      queue.obliterate(true);
    }
    System.out.println("DONE");
  }
}
