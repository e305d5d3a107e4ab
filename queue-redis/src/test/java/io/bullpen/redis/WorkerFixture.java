package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.bullpen.AsyncProcessor;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.Processor;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** One queue with a unique name, its producer, raw Redis access and the workers a test starts. */
final class WorkerFixture implements AutoCloseable {
  final RunningRedis server;
  final String queueName = QueueNames.unique("q");
  final Queue queue;
  /** Raw access on either topology; {@link #direct} for what is per server (CLIENT LIST, INFO). */
  final RedisClusterCommands<String, String> redis;
  final DirectRedis direct;
  private final List<AbstractWorker<?>> workers = new ArrayList<>();

  WorkerFixture(RunningRedis server) {
    this.server = server;
    this.queue = new Queue(queueName, QueueOptions.builder().redis(RedisConfig.of(server.uri())).build());
    this.direct = DirectRedis.connect(server);
    this.redis = direct.sync();
  }

  WorkerOptions.Builder options() {
    return WorkerOptions.builder().redis(RedisConfig.of(server.uri()));
  }

  Worker worker(Processor processor, WorkerOptions.Builder options) {
    Worker worker = new Worker(queueName, processor, options.build());
    workers.add(worker);
    return worker;
  }

  /** A worker of {@code kind} running {@code processor} for each job. */
  AbstractWorker<?> worker(WorkerKind kind, Processor processor, WorkerOptions.Builder options) {
    AbstractWorker<?> worker = kind.start(queueName, processor, options.build());
    workers.add(worker);
    return worker;
  }

  AbstractWorker<?> worker(WorkerKind kind, Processor processor) {
    return worker(kind, processor, options());
  }

  Worker worker(Processor processor) {
    return worker(processor, options());
  }

  Worker asyncWorker(AsyncProcessor processor, WorkerOptions.Builder options) {
    Worker worker = Worker.async(queueName, processor, options.build());
    workers.add(worker);
    return worker;
  }

  Job add(String name, Object data) {
    return queue.add(name, data);
  }

  Job add(String name, Object data, JobOptions options) {
    return queue.add(name, data, options);
  }

  String key(String suffix) {
    return "bull:" + queueName + ":" + suffix;
  }

  Map<String, String> hash(String jobId) {
    return redis.hgetall(key(jobId));
  }

  /** The event stream as (event name, fields) for the given job, oldest first. */
  List<Map<String, String>> eventsOf(String jobId) {
    List<Map<String, String>> out = new ArrayList<>();
    for (StreamMessage<String, String> message : redis.xrange(key("events"), io.lettuce.core.Range.create("-", "+"))) {
      if (jobId == null || jobId.equals(message.getBody().get("jobId"))) {
        out.add(message.getBody());
      }
    }
    return out;
  }

  List<String> eventNamesOf(String jobId) {
    List<String> names = new ArrayList<>();
    for (Map<String, String> body : eventsOf(jobId)) {
      names.add(body.get("event"));
    }
    return names;
  }

  static void await(Duration timeout, BooleanSupplier condition, Supplier<String> description) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout + " waiting for: " + description.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  static void await(BooleanSupplier condition, String description) {
    await(Duration.ofSeconds(20), condition, () -> description);
  }

  @Override
  public void close() {
    for (AbstractWorker<?> worker : workers) {
      worker.close(true);
    }
    queue.close();
    direct.close();
  }
}
