package io.bullpen.spring.boot;

import io.bullpen.redis.QueueOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code bullpen.*} properties: where Redis is, the key prefix, defaults per queue and settings for workers
 * (all of them, and per queue).
 *
 * <pre>
 * bullpen.redis.uri=redis://127.0.0.1:6379
 * bullpen.queues.emails.attempts=3
 * bullpen.worker.concurrency=4
 * bullpen.workers.emails.concurrency=16
 * </pre>
 */
@ConfigurationProperties("bullpen")
public class BullpenProperties {
  /** The key prefix of every queue: keys are prefix:queue:suffix (a hash tag in braces on a cluster). */
  private String prefix = QueueOptions.DEFAULT_PREFIX;

  /** How to reach Redis. */
  @NestedConfigurationProperty
  private RedisProperties redis = new RedisProperties();

  /** Queues by name; each gets a Queue bean with these defaults for the jobs it adds. */
  private Map<String, QueueProperties> queues = new LinkedHashMap<>();

  /** Settings of every worker, unless its annotation or bullpen.workers.QUEUE says otherwise. */
  @NestedConfigurationProperty
  private WorkerProperties worker = new WorkerProperties();

  /** Settings of the workers of one queue, by queue name; they override the annotation and bullpen.worker. */
  private Map<String, WorkerProperties> workers = new LinkedHashMap<>();

  /** The health indicator. */
  @NestedConfigurationProperty
  private HealthProperties health = new HealthProperties();

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  public RedisProperties getRedis() {
    return redis;
  }

  public void setRedis(RedisProperties redis) {
    this.redis = redis;
  }

  public Map<String, QueueProperties> getQueues() {
    return queues;
  }

  public void setQueues(Map<String, QueueProperties> queues) {
    this.queues = queues;
  }

  public WorkerProperties getWorker() {
    return worker;
  }

  public void setWorker(WorkerProperties worker) {
    this.worker = worker;
  }

  public Map<String, WorkerProperties> getWorkers() {
    return workers;
  }

  public void setWorkers(Map<String, WorkerProperties> workers) {
    this.workers = workers;
  }

  public HealthProperties getHealth() {
    return health;
  }

  public void setHealth(HealthProperties health) {
    this.health = health;
  }

  /** {@code bullpen.health.*}. */
  public static class HealthProperties {
    /** The longest a health check waits for Redis before it reports it unreachable. */
    private Duration timeout = Duration.ofSeconds(2);

    /**
     * How long a running worker with free slots may go without an answered fetch before it counts as stuck; empty:
     * three drain delays plus the command timeout.
     */
    private Duration fetchSilenceLimit;

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public Duration getFetchSilenceLimit() {
      return fetchSilenceLimit;
    }

    public void setFetchSilenceLimit(Duration fetchSilenceLimit) {
      this.fetchSilenceLimit = fetchSilenceLimit;
    }
  }
}
