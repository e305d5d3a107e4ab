package io.bullpen.spring.boot;

import io.bullpen.Backoff;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConnector;
import java.time.Duration;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code bullpen.queues.<name>.*}: defaults for the jobs one queue adds (each job's own options override them) and
 * the cap of its event stream.
 */
public class QueueProperties {
  /** Attempts per job, the first included (1 by default: no retry). */
  private Integer attempts;

  /** Backoff between attempts. */
  @NestedConfigurationProperty
  private BackoffProperties backoff = new BackoffProperties();

  /** Which completed jobs to keep (all by default). */
  @NestedConfigurationProperty
  private KeepProperties removeOnComplete = new KeepProperties();

  /** Which failed jobs to keep (all by default). */
  @NestedConfigurationProperty
  private KeepProperties removeOnFail = new KeepProperties();

  /** Lines of job log to keep per job (all by default). */
  private Integer keepLogs;

  /** Stack trace lines kept per failure. */
  private Integer stackTraceLimit;

  /** Approximate length cap of the queue's event stream (10,000 by default). */
  private Integer maxLenEvents;

  /** Options for queue {@code name} on {@code connector}, to be completed and built. */
  QueueOptions.Builder toQueueOptions(String name, RedisConnector connector, String prefix) {
    String at = "bullpen.queues." + name + ".";
    JobOptions.Builder job = JobOptions.builder();
    Props.apply(at + "attempts", attempts, job::attempts);
    Props.apply(at + "backoff", backoff.toBackoff(at + "backoff."), job::backoff);
    if (removeOnComplete.isSet()) {
      Props.apply(at + "remove-on-complete", removeOnComplete.toKeepJobs(), job::removeOnComplete);
    }
    if (removeOnFail.isSet()) {
      Props.apply(at + "remove-on-fail", removeOnFail.toKeepJobs(), job::removeOnFail);
    }
    Props.apply(at + "keep-logs", keepLogs, job::keepLogs);
    Props.apply(at + "stack-trace-limit", stackTraceLimit, job::stackTraceLimit);
    QueueOptions.Builder b = QueueOptions.builder().connector(connector);
    Props.apply("bullpen.prefix", prefix, b::prefix);
    Props.apply(at + "max-len-events", maxLenEvents, b::maxLenEvents);
    return b.defaultJobOptions(job.build());
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public BackoffProperties getBackoff() {
    return backoff;
  }

  public void setBackoff(BackoffProperties backoff) {
    this.backoff = backoff;
  }

  public KeepProperties getRemoveOnComplete() {
    return removeOnComplete;
  }

  public void setRemoveOnComplete(KeepProperties removeOnComplete) {
    this.removeOnComplete = removeOnComplete;
  }

  public KeepProperties getRemoveOnFail() {
    return removeOnFail;
  }

  public void setRemoveOnFail(KeepProperties removeOnFail) {
    this.removeOnFail = removeOnFail;
  }

  public Integer getKeepLogs() {
    return keepLogs;
  }

  public void setKeepLogs(Integer keepLogs) {
    this.keepLogs = keepLogs;
  }

  public Integer getStackTraceLimit() {
    return stackTraceLimit;
  }

  public void setStackTraceLimit(Integer stackTraceLimit) {
    this.stackTraceLimit = stackTraceLimit;
  }

  public Integer getMaxLenEvents() {
    return maxLenEvents;
  }

  public void setMaxLenEvents(Integer maxLenEvents) {
    this.maxLenEvents = maxLenEvents;
  }

  /** {@code backoff.type} and {@code backoff.delay}. */
  public static class BackoffProperties {
    /** fixed, exponential, or the name of a custom strategy the workers know. */
    private String type;

    /** Base delay between attempts. */
    private Duration delay;

    Backoff toBackoff(String at) {
      if (type == null && delay == null) {
        return null;
      }
      if (delay == null) {
        throw new InvalidOptionException(at + "delay", null, "is required with " + at + "type");
      }
      String kind = type == null ? Backoff.FIXED : type;
      return switch (kind) {
        case Backoff.FIXED -> Backoff.fixed(delay.toMillis());
        case Backoff.EXPONENTIAL -> Backoff.exponential(delay.toMillis());
        default -> Backoff.custom(kind, delay.toMillis());
      };
    }

    public String getType() {
      return type;
    }

    public void setType(String type) {
      this.type = type;
    }

    public Duration getDelay() {
      return delay;
    }

    public void setDelay(Duration delay) {
      this.delay = delay;
    }
  }
}
