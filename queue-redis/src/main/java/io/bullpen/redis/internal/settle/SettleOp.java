package io.bullpen.redis.internal.settle;

import io.bullpen.KeepJobs;

/**
 * One operation of the {@code settleJobs} script on one active job held with {@code token}.
 *
 * @param kind {@code c} complete, {@code f} fail for good, {@code d} retry after {@code number} ms (uses an
 *     attempt), {@code r} retry now (uses an attempt; {@code number} 1 = lifo), {@code w} back to the front of
 *     wait (no attempt), {@code l} delayed by {@code number} ms (no attempt), {@code x} extend the lock to
 *     {@code number} ms
 * @param value result JSON for {@code c}, failed reason for {@code f}, {@code d}, {@code r}
 * @param stacktrace stacktrace JSON for failures, else ""
 * @param keep keep policy for {@code c}/{@code f}; null = the job's own from its opts (else keep all)
 * @param attempts the job's attempts for {@code f}; null = from its opts
 * @param fetchNext whether a job should be claimed for the caller in its place when this one succeeds
 * @param clearCancel whether a cancel recorded on the job ({@code bpcancel}) is cleared when the move succeeds:
 *     the attempt it was meant for has ended, and a later run of the job must not be cancelled by it again
 */
public record SettleOp(char kind, String jobId, String token, String value, String stacktrace, KeepJobs keep,
    Integer attempts, long number, boolean fetchNext, boolean clearCancel) {

  public static SettleOp complete(String jobId, String token, String resultJson, KeepJobs keep, Integer attempts,
      boolean fetchNext) {
    return new SettleOp('c', jobId, token, resultJson, "", keep, attempts, 0, fetchNext, false);
  }

  public static SettleOp failFinally(String jobId, String token, String reason, String stacktrace, KeepJobs keep,
      Integer attempts) {
    return new SettleOp('f', jobId, token, reason, stacktrace, keep, attempts, 0, false, false);
  }

  public static SettleOp retryAfter(String jobId, String token, String reason, String stacktrace, long delayMillis) {
    return new SettleOp('d', jobId, token, reason, stacktrace, null, null, delayMillis, false, false);
  }

  public static SettleOp retryNow(String jobId, String token, String reason, String stacktrace, boolean lifo) {
    return new SettleOp('r', jobId, token, reason, stacktrace, null, null, lifo ? 1 : 0, false, false);
  }

  public static SettleOp backToWait(String jobId, String token) {
    return new SettleOp('w', jobId, token, "", "", null, null, 0, false, false);
  }

  public static SettleOp later(String jobId, String token, long delayMillis) {
    return new SettleOp('l', jobId, token, "", "", null, null, delayMillis, false, false);
  }

  public static SettleOp extend(String jobId, String token, long durationMillis) {
    return new SettleOp('x', jobId, token, "", "", null, null, durationMillis, false, false);
  }

  /** This operation, also clearing the job's recorded cancel. */
  public SettleOp clearingCancel() {
    return new SettleOp(kind, jobId, token, value, stacktrace, keep, attempts, number, fetchNext, true);
  }

  /** This operation, asking for a successor when it succeeds (or not). */
  public SettleOp fetchingNext(boolean fetch) {
    return new SettleOp(kind, jobId, token, value, stacktrace, keep, attempts, number, fetch, clearCancel);
  }

  void appendTo(java.util.List<String> args) {
    args.add(String.valueOf(kind));
    args.add(jobId);
    args.add(token);
    args.add(value);
    args.add(stacktrace);
    if (keep == null) {
      args.add("");
      args.add("");
      args.add("");
    } else {
      args.add(Long.toString(keep.count()));
      args.add(Long.toString(keep.ageSeconds()));
      args.add(Long.toString(keep.limit()));
    }
    args.add(attempts == null ? "" : Integer.toString(attempts));
    args.add(Long.toString(number));
    args.add(fetchNext ? "1" : "0");
    args.add(clearCancel ? "1" : "0");
  }
}
