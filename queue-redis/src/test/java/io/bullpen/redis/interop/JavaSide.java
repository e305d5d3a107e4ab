package io.bullpen.redis.interop;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.JobSpec;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Bullpen's side of a scenario: one {@link Queue} plus, on demand, a {@link Worker} running a {@link ScriptedProcessor}. */
final class JavaSide implements AutoCloseable {
  private final RedisConfig redis;
  private final String prefix;
  private final String queueName;
  private final Queue queue;

  JavaSide(RunningRedis server, String prefix, String queueName) {
    this.redis = RedisConfig.of(server.uri());
    this.prefix = prefix;
    this.queueName = queueName;
    this.queue = new Queue(queueName, QueueOptions.builder().redis(redis).prefix(prefix).build());
  }

  Queue queue() {
    return queue;
  }

  QueueKeys keys() {
    return new QueueKeys(prefix, queueName);
  }

  /**
   * Adds the jobs in order, one {@code add} each, with the data as a JSON tree (so Jackson writes it the way
   * {@code JSON.stringify} does); returns job ids by job name.
   */
  Map<String, String> addAll(List<? extends AddSpec> jobs) {
    Map<String, String> ids = new LinkedHashMap<>();
    for (AddSpec spec : jobs) {
      Job job = queue.add(spec.name(), Json.tree(spec.dataJson(), "data"), spec.javaOptions());
      ids.put(spec.name(), job.id());
    }
    return ids;
  }

  /** Adds the jobs with one {@code addBulk} call; returns job ids by job name. */
  Map<String, String> addBulk(List<? extends AddSpec> jobs) {
    List<JobSpec> specs = jobs.stream()
        .map(spec -> JobSpec.of(spec.name(), Json.tree(spec.dataJson(), "data"), spec.javaOptions()))
        .toList();
    Map<String, String> ids = new LinkedHashMap<>();
    for (Job job : queue.addBulk(specs)) {
      ids.put(job.name(), job.id());
    }
    return ids;
  }

  /**
   * Runs a worker with concurrency 1 until nothing is left to run and {@code settled} jobs sit in the completed
   * and failed sets (jobs removed on finishing are not there), then closes it.
   *
   * @return the processor, holding every call it saw
   */
  ScriptedProcessor work(long settled, Duration timeout) {
    ScriptedProcessor processor = new ScriptedProcessor();
    WorkerOptions options = WorkerOptions.builder().redis(redis).prefix(prefix).concurrency(1).build();
    try (Worker worker = new Worker(queueName, processor, options)) {
      Polling.until(timeout, () -> finished() >= settled && unfinished() == 0,
          () -> "Java worker settled " + finished() + " of " + settled + " jobs, " + unfinished()
              + " still to run; calls: " + processor.calls());
    }
    return processor;
  }

  private long unfinished() {
    return queue.getJobCounts(JobState.WAITING, JobState.PRIORITIZED, JobState.DELAYED, JobState.ACTIVE)
        .values().stream().mapToLong(Long::longValue).sum();
  }

  private long finished() {
    Map<JobState, Long> counts = queue.getJobCounts(JobState.COMPLETED, JobState.FAILED);
    return counts.getOrDefault(JobState.COMPLETED, 0L) + counts.getOrDefault(JobState.FAILED, 0L);
  }

  @Override
  public void close() {
    queue.close();
  }
}
