package io.bullpen;

import java.util.List;

/**
 * BullMQ's per-minute metrics of finished jobs ({@code Queue.getMetrics}), kept by workers started with the
 * {@code metrics} option.
 *
 * @param count finished jobs of the type since the queue started collecting (a running total, for counters)
 * @param prevTimestamp when the last per-minute point was written (ms since the epoch), 0 before any
 * @param prevCount {@code count} at that moment
 * @param data the requested page of per-minute counts, index 0 the most recent minute
 * @param total how many per-minute points are kept
 */
public record JobMetrics(long count, long prevTimestamp, long prevCount, List<Long> data, long total) {
  public JobMetrics {
    data = List.copyOf(data);
  }

  /** Which finished jobs: BullMQ's {@code MetricsType}. */
  public enum Type {
    COMPLETED("completed"),
    FAILED("failed");

    private final String wire;

    Type(String wire) {
      this.wire = wire;
    }

    /** The name in the key, {@code metrics:<name>}. */
    public String wireName() {
      return wire;
    }
  }
}
