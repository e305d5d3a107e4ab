package io.bullpen.spring.boot;

import io.bullpen.JobState;
import io.bullpen.redis.AbstractWorker;
import io.bullpen.redis.BatchWorker;
import io.bullpen.redis.Queue;
import io.bullpen.redis.WorkerHealth;
import io.bullpen.redis.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Bullpen's part of {@code /actuator/health}: DOWN when Redis does not answer within {@code bullpen.health.timeout},
 * when a worker that should run is not running, or when a running worker with free slots has not had a fetch
 * answered for longer than {@code bullpen.health.fetch-silence-limit}. Details: job counts per queue (one script
 * call per queue), and per worker its state, jobs held, time since its last fetch, reconnects and the jobs its
 * stalled check recovered.
 */
public class BullpenHealthIndicator extends AbstractHealthIndicator {
  private static final JobState[] COUNTED = {JobState.WAITING, JobState.PRIORITIZED, JobState.DELAYED,
      JobState.ACTIVE, JobState.WAITING_CHILDREN, JobState.FAILED};

  private final Queues queues;
  private final BullpenWorkers workers;
  private final BullpenProperties.HealthProperties settings;

  public BullpenHealthIndicator(Queues queues, BullpenWorkers workers, BullpenProperties.HealthProperties settings) {
    super("Bullpen health check failed");
    this.queues = queues;
    this.workers = workers;
    this.settings = settings;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) throws Exception {
    List<ManagedWorker> running = workers.workers();
    Set<String> names = new LinkedHashSet<>(queues.configuredNames());
    running.forEach(managed -> names.add(managed.definition().queue()));

    List<String> problems = new ArrayList<>();
    Map<String, Object> counts = queueCounts(names, problems);
    List<Map<String, Object>> workerDetails = new ArrayList<>();
    for (ManagedWorker managed : running) {
      workerDetails.add(workerDetail(managed, problems));
    }
    if (problems.isEmpty()) {
      builder.up();
    } else {
      builder.down().withDetail("problems", problems);
    }
    builder.withDetail("queues", counts).withDetail("workers", workerDetails);
  }

  private Map<String, Object> queueCounts(Set<String> names, List<String> problems) throws InterruptedException {
    Map<String, CompletableFuture<Map<JobState, Long>>> pending = new LinkedHashMap<>();
    for (String name : names) {
      Queue queue = queues.get(name);
      pending.put(name, queue.getJobCountsAsync(COUNTED));
    }
    long deadline = System.nanoTime() + settings.getTimeout().toNanos();
    Map<String, Object> counts = new LinkedHashMap<>();
    for (Map.Entry<String, CompletableFuture<Map<JobState, Long>>> entry : pending.entrySet()) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        Map<String, Long> byState = new LinkedHashMap<>();
        entry.getValue().get(left, TimeUnit.NANOSECONDS).forEach((state, n) -> byState.put(state.wireName(), n));
        counts.put(entry.getKey(), byState);
      } catch (TimeoutException e) {
        problems.add("Redis did not answer within " + settings.getTimeout() + " (queue " + entry.getKey() + ")");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        problems.add("Redis unreachable (queue " + entry.getKey() + "): " + cause.getMessage());
      }
    }
    return counts;
  }

  private Map<String, Object> workerDetail(ManagedWorker managed, List<String> problems) {
    AbstractWorker<?> worker = managed.worker();
    WorkerHealth health = worker.health();
    WorkerOptions options = worker.options();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("queue", managed.definition().queue());
    detail.put("source", managed.definition().source());
    detail.put("id", worker.id());
    detail.put("running", health.running());
    detail.put("paused", health.paused());
    detail.put("activeJobs", health.activeJobs());
    detail.put("concurrency", options.concurrency());
    health.sinceLastFetch().ifPresent(since -> detail.put("sinceLastFetchMillis", since.toMillis()));
    detail.put("reconnects", health.reconnects());
    detail.put("stalledJobsRecovered", managed.stalledJobs());
    String who = "worker " + worker.id() + " of queue " + managed.definition().queue();
    if (managed.autoStartup() && !health.running()) {
      problems.add(who + " is not running");
    } else if (health.running() && !health.paused() && hasFreeSlot(worker)) {
      Duration limit = fetchSilenceLimit(options);
      Duration since = health.sinceLastFetch().orElse(Duration.ZERO);
      if (since.compareTo(limit) > 0) {
        problems.add(who + " has had no fetch answered for " + since.toMillis() + " ms (limit " + limit.toMillis()
            + " ms)");
      }
    }
    return detail;
  }

  private static boolean hasFreeSlot(AbstractWorker<?> worker) {
    int inUse = worker instanceof BatchWorker batch ? batch.activeBatches() : worker.activeCount();
    return inUse < worker.options().concurrency();
  }

  private Duration fetchSilenceLimit(WorkerOptions options) {
    if (settings.getFetchSilenceLimit() != null) {
      return settings.getFetchSilenceLimit();
    }
    return options.drainDelay().multipliedBy(3).plus(options.redis().commandTimeout());
  }
}
