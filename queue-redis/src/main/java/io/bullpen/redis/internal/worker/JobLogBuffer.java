package io.bullpen.redis.internal.worker;

import java.util.ArrayList;
import java.util.List;

/**
 * The log lines of one attempt not yet written: written in one script call once 100 lines are waiting, or the
 * oldest is a second old, or the attempt ends. Batches are written one at a time and in order.
 */
final class JobLogBuffer {
  static final int MAX_LINES = 100;
  static final long MAX_AGE_MILLIS = 1_000;

  private final String jobId;
  private final Integer keepLogs;
  private final Writer writer;
  private final Object writeLock = new Object();
  private final List<String> lines = new ArrayList<>();
  private long oldestAt;
  private long logged;

  /** Writes a batch of lines to a job's log, trimming it to {@code keepLogs} when set. */
  public interface Writer {
    void write(String jobId, List<String> lines, Integer keepLogs);
  }

  public JobLogBuffer(String jobId, Integer keepLogs, Writer writer) {
    this.jobId = jobId;
    this.keepLogs = keepLogs;
    this.writer = writer;
  }

  /** Buffers a line; returns how many lines this attempt has logged. */
  public synchronized long add(String line, long now) {
    if (lines.isEmpty()) {
      oldestAt = now;
    }
    lines.add(line);
    return ++logged;
  }

  public synchronized boolean isFull() {
    return lines.size() >= MAX_LINES;
  }

  /** Whether the oldest waiting line is due at {@code now}. */
  public synchronized boolean isDue(long now) {
    return !lines.isEmpty() && (lines.size() >= MAX_LINES || now - oldestAt >= MAX_AGE_MILLIS);
  }

  /** Writes every waiting line; concurrent calls write their batches one after the other. */
  public void flush() {
    synchronized (writeLock) {
      List<String> batch;
      synchronized (this) {
        if (lines.isEmpty()) {
          return;
        }
        batch = new ArrayList<>(lines);
        lines.clear();
      }
      try {
        writer.write(jobId, batch, keepLogs);
      } catch (RuntimeException e) {
        // Kept for the next flush (Redis may be back by then), still ahead of newer lines.
        synchronized (this) {
          lines.addAll(0, batch);
        }
        throw e;
      }
    }
  }
}
