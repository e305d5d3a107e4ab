package io.bullpen.redis;

import io.bullpen.Job;
import io.bullpen.JobLogs;
import io.bullpen.JobMetrics;
import io.bullpen.JobState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The reading half of {@link Queue}, split from its writes as BullMQ splits {@code QueueGetters} from
 * {@code Queue}: the queue's name and options, jobs, counts, states, logs and the paused flag. Each call reads
 * in one script or command; the {@code …Async} twin does the same without blocking.
 */
public abstract sealed class QueueGetters permits Queue {
  final QueueOperations ops;

  QueueGetters(QueueOperations ops) {
    this.ops = ops;
  }

  public String name() {
    return ops.keys.queueName();
  }

  /** {@code <prefix>:<name>}, BullMQ's qualified queue name. */
  public String qualifiedName() {
    return ops.keys.qualifiedName();
  }

  public QueueOptions options() {
    return ops.options;
  }

  /** The job as stored now, or empty when no job has that id. */
  public Optional<Job> getJob(String jobId) {
    return ops.getJob(jobId).join();
  }

  /** As {@link #getJob}, without blocking. */
  public CompletableFuture<Optional<Job>> getJobAsync(String jobId) {
    return ops.getJob(jobId).async();
  }

  /**
   * Jobs in {@code states} (all states when empty), BullMQ paging: each state is paged on its own from
   * {@code start} to {@code end} (inclusive, -1 for the last); {@code asc} lists oldest first.
   */
  public List<Job> getJobs(Set<JobState> states, long start, long end, boolean asc) {
    return ops.getJobs(states, start, end, asc).join();
  }

  /** As {@link #getJobs}, without blocking. */
  public CompletableFuture<List<Job>> getJobsAsync(Set<JobState> states, long start, long end, boolean asc) {
    return ops.getJobs(states, start, end, asc).async();
  }

  /** Job counts per state; with no argument, every state (waiting counts a paused queue's jobs too). */
  public Map<JobState, Long> getJobCounts(JobState... states) {
    return ops.getJobCounts(states).join();
  }

  /** As {@link #getJobCounts}, without blocking. */
  public CompletableFuture<Map<JobState, Long>> getJobCountsAsync(JobState... states) {
    return ops.getJobCounts(states).async();
  }

  /**
   * BullMQ's per-minute metrics of {@code type} ({@code getMetrics}): totals and the points {@code start} to {@code
   * end} (inclusive, -1 for the last; index 0 is the latest minute), written by workers with the {@code metrics}
   * option, Bullpen's or BullMQ's.
   */
  public JobMetrics getMetrics(JobMetrics.Type type, long start, long end) {
    return ops.getMetrics(type, start, end).join();
  }

  /** As {@link #getMetrics}, without blocking. */
  public CompletableFuture<JobMetrics> getMetricsAsync(JobMetrics.Type type, long start, long end) {
    return ops.getMetrics(type, start, end).async();
  }

  /** Where the job is now; {@link JobState#UNKNOWN} when it is nowhere (or does not exist). */
  public JobState getJobState(String jobId) {
    return ops.getJobState(jobId).join();
  }

  /** As {@link #getJobState}, without blocking. */
  public CompletableFuture<JobState> getJobStateAsync(String jobId) {
    return ops.getJobState(jobId).async();
  }

  /** All of the job's log lines, oldest first. */
  public JobLogs getJobLogs(String jobId) {
    return ops.getJobLogs(jobId, 0, -1, true).join();
  }

  /** As {@link #getJobLogs(String)}, without blocking. */
  public CompletableFuture<JobLogs> getJobLogsAsync(String jobId) {
    return ops.getJobLogs(jobId, 0, -1, true).async();
  }

  /** A page of the job's log lines (oldest first when {@code asc}) with the total number kept. */
  public JobLogs getJobLogs(String jobId, long start, long end, boolean asc) {
    return ops.getJobLogs(jobId, start, end, asc).join();
  }

  /** As {@link #getJobLogs(String, long, long, boolean)}, without blocking. */
  public CompletableFuture<JobLogs> getJobLogsAsync(String jobId, long start, long end, boolean asc) {
    return ops.getJobLogs(jobId, start, end, asc).async();
  }

  public boolean isPaused() {
    return ops.isPaused().join();
  }

  /** As {@link #isPaused}, without blocking. */
  public CompletableFuture<Boolean> isPausedAsync() {
    return ops.isPaused().async();
  }
}
