package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.bullpen.JobState;
import io.bullpen.Processor;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RunningRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Two queues with unique names (a flow's usual "parents" and "children" queues), a FlowProducer, a Queue per
 * queue name, raw Redis access, and the workers a test starts; everything closed at the end.
 */
final class FlowFixture implements AutoCloseable {
  final RunningRedis server;
  final String prefix;
  /** Unique; every name starting with it shares one slot on a cluster, as a flow across queues needs. */
  final String group = QueueNames.unique("flow");
  final String parents = group + "-parents";
  final String children = group + "-children";
  final Clock clock;
  final RedisProbe probe;
  final FlowProducer flows;
  private final Map<String, Queue> queues = new HashMap<>();
  private final List<Worker> workers = new ArrayList<>();

  FlowFixture(RunningRedis server) {
    this(server, "bull", Clock.systemUTC());
  }

  FlowFixture(RunningRedis server, String prefix, Clock clock) {
    this.server = server;
    this.prefix = prefix;
    this.clock = clock;
    this.probe = new RedisProbe(server);
    this.flows = new FlowProducer(FlowProducerOptions.builder().redis(RedisConfig.of(server.uri())).prefix(prefix)
        .clock(clock).build());
  }

  RedisConfig redis() {
    return RedisConfig.of(server.uri());
  }

  /** The Queue of {@code name} (created on first use, closed by the fixture). */
  Queue queue(String name) {
    return queues.computeIfAbsent(name, n -> new Queue(n, QueueOptions.builder().redis(redis()).prefix(prefix)
        .clock(clock).build()));
  }

  WorkerOptions.Builder workerOptions() {
    return WorkerOptions.builder().redis(redis()).prefix(prefix).clock(clock);
  }

  Worker worker(String queueName, Processor processor) {
    return worker(queueName, processor, workerOptions());
  }

  Worker worker(String queueName, Processor processor, WorkerOptions.Builder options) {
    Worker worker = new Worker(queueName, processor, options.build());
    workers.add(worker);
    return worker;
  }

  /** {@code <prefix>:<queue>:<suffix>}. */
  String key(String queueName, String suffix) {
    return prefix + ":" + queueName + ":" + suffix;
  }

  JobState state(String queueName, String jobId) {
    return queue(queueName).getJobState(jobId);
  }

  Map<String, String> hash(String queueName, String jobId) {
    return probe.redis.hgetall(key(queueName, jobId));
  }

  /** Events of {@code queueName} for one job (all when jobId is null), oldest first. */
  List<RedisProbe.Event> events(String queueName, String jobId) {
    return probe.events(key(queueName, "events")).stream()
        .filter(e -> jobId == null || jobId.equals(e.get("jobId"))).toList();
  }

  List<String> eventNames(String queueName, String jobId) {
    return events(queueName, jobId).stream().map(RedisProbe.Event::name).toList();
  }

  void awaitState(String queueName, String jobId, JobState state) {
    await(() -> state(queueName, jobId) == state,
        () -> queueName + "/" + jobId + " in " + state + " (is " + state(queueName, jobId) + ")");
  }

  static void await(BooleanSupplier condition, Supplier<String> description) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for: " + description.get());
      }
      try {
        Thread.sleep(15);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  @Override
  public void close() {
    for (Worker worker : workers) {
      worker.close(true);
    }
    queues.values().forEach(Queue::close);
    flows.close();
    probe.close();
  }
}
