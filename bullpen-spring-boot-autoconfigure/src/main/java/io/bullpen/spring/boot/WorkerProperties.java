package io.bullpen.spring.boot;

import io.bullpen.redis.LockOptions;
import io.bullpen.redis.StalledOptions;
import io.bullpen.redis.WorkerOptions;
import java.time.Duration;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Worker settings: {@code bullpen.worker.*} for every worker and {@code bullpen.workers.<queue>.*} for the workers
 * of one queue. Unset values fall through: {@code bullpen.workers.<queue>} over the {@link BullpenWorker}
 * annotation over {@code bullpen.worker} over Bullpen's defaults.
 */
public class WorkerProperties {
  /** Jobs (or batches) run at once (1 by default). */
  private Integer concurrency;

  /** Whether the worker starts with the application context (true by default). */
  private Boolean autoStartup;

  /** How long a job's lock lasts without renewal (30 s by default). */
  private Duration lockDuration;

  /** How often locks are renewed (half the lock duration by default). */
  private Duration lockRenewTime;

  /** How often the stalled-job check runs (30 s by default). */
  private Duration stalledInterval;

  /** How often a job may stall before it fails (1 by default). */
  private Integer maxStalledCount;

  /** Longest blocking wait for new jobs (5 s by default). */
  private Duration drainDelay;

  /** How long stopping waits for jobs in flight before closing anyway (30 s by default). */
  private Duration closeTimeout;

  /** Longest a batch waits to fill once its first job is in (batch workers only). */
  private Duration batchMaxWait;

  /** Which completed jobs to keep, overriding the jobs' own policy. */
  @NestedConfigurationProperty
  private KeepProperties removeOnComplete = new KeepProperties();

  /** Which failed jobs to keep, overriding the jobs' own policy. */
  @NestedConfigurationProperty
  private KeepProperties removeOnFail = new KeepProperties();

  /** Puts {@code options}' values into {@code b}; a rejection names a property under {@code at}. */
  void applyTo(WorkerOptions.Builder b, WorkerOptions current, String at) {
    Props.apply(at + "concurrency", concurrency, b::concurrency);
    if (lockDuration != null || lockRenewTime != null) {
      LockOptions.Builder locks = current.locks().toBuilder();
      Props.apply(at + "lock-duration", lockDuration, locks::duration);
      Props.apply(at + "lock-renew-time", lockRenewTime, locks::renewTime);
      Props.apply(at + "lock-duration", locks, l -> b.locks(l.build()));
    }
    if (stalledInterval != null || maxStalledCount != null) {
      StalledOptions.Builder stalled = current.stalled().toBuilder();
      Props.apply(at + "stalled-interval", stalledInterval, stalled::interval);
      Props.apply(at + "max-stalled-count", maxStalledCount, stalled::maxCount);
      Props.apply(at + "stalled-interval", stalled, s -> b.stalled(s.build()));
    }
    Props.apply(at + "drain-delay", drainDelay, b::drainDelay);
    Props.apply(at + "close-timeout", closeTimeout, b::closeTimeout);
    if (removeOnComplete.isSet()) {
      Props.apply(at + "remove-on-complete", removeOnComplete.toKeepJobs(), b::removeOnComplete);
    }
    if (removeOnFail.isSet()) {
      Props.apply(at + "remove-on-fail", removeOnFail.toKeepJobs(), b::removeOnFail);
    }
  }

  public Integer getConcurrency() {
    return concurrency;
  }

  public void setConcurrency(Integer concurrency) {
    this.concurrency = concurrency;
  }

  public Boolean getAutoStartup() {
    return autoStartup;
  }

  public void setAutoStartup(Boolean autoStartup) {
    this.autoStartup = autoStartup;
  }

  public Duration getLockDuration() {
    return lockDuration;
  }

  public void setLockDuration(Duration lockDuration) {
    this.lockDuration = lockDuration;
  }

  public Duration getLockRenewTime() {
    return lockRenewTime;
  }

  public void setLockRenewTime(Duration lockRenewTime) {
    this.lockRenewTime = lockRenewTime;
  }

  public Duration getStalledInterval() {
    return stalledInterval;
  }

  public void setStalledInterval(Duration stalledInterval) {
    this.stalledInterval = stalledInterval;
  }

  public Integer getMaxStalledCount() {
    return maxStalledCount;
  }

  public void setMaxStalledCount(Integer maxStalledCount) {
    this.maxStalledCount = maxStalledCount;
  }

  public Duration getDrainDelay() {
    return drainDelay;
  }

  public void setDrainDelay(Duration drainDelay) {
    this.drainDelay = drainDelay;
  }

  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  public void setCloseTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
  }

  public Duration getBatchMaxWait() {
    return batchMaxWait;
  }

  public void setBatchMaxWait(Duration batchMaxWait) {
    this.batchMaxWait = batchMaxWait;
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
}
