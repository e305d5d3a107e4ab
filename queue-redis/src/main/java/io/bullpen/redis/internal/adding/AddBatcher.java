package io.bullpen.redis.internal.adding;

import io.bullpen.JobSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for single adds made concurrently on one {@link io.bullpen.redis.Queue}: while two {@code addJobs}
 * calls are on their way, further adds wait and go out together in the next call (each job still stored,
 * numbered and announced exactly as if added alone), at most a chunk ({@link AddChunks}) per call. A lone add is
 * sent at once from the caller's thread.
 */
public final class AddBatcher {
  private final JobAdder adder;
  private static final int PIPELINE = 2;
  private final Object lock = new Object();
  private final ArrayDeque<Request> pending = new ArrayDeque<>();
  /** Calls on their way to Redis; up to {@link #PIPELINE} at once, so Redis never idles between two. */
  private int inFlight;

  private record Request(JobAdder.Prepared job, CompletableFuture<JobAdder.Added> done) {}

  /**
   * Follow-up batches are sent from this thread, never from Lettuce's event loop: a write made on the event loop
   * goes out at once, while one made elsewhere is queued behind the loop's pending tasks, so mixing the two would
   * let a later batch overtake an earlier one and number its jobs first.
   */
  private final ExecutorService sender = newSender();

  public AddBatcher(JobAdder adder) {
    this.adder = adder;
  }

  /**
   * Validates {@code spec} (throwing at once when invalid) and stores it with the next call; the future
   * completes with the job as stored, or with Lettuce's failure.
   */
  public CompletableFuture<JobAdder.Added> addAsync(JobSpec spec) {
    JobAdder.Prepared job = adder.prepare(spec);
    if (job.options().parent().isPresent()) {
      // A child is linked to its parent by the flow path, one call of its own.
      return adder.addWithParents(List.of(job)).thenApply(added -> added.get(0));
    }
    Request request = new Request(job, new CompletableFuture<>());
    // Batches are handed to Lettuce under the lock, so they reach Redis (and get their ids) in call order.
    synchronized (lock) {
      pending.add(request);
      if (inFlight < PIPELINE) {
        inFlight++;
        send(takePending());
      }
    }
    return request.done();
  }

  /** The oldest pending adds that fit one call. */
  private List<Request> takePending() {
    List<Request> taken = new ArrayList<>(Math.min(pending.size(), adder.chunks().maxJobs()));
    long bytes = 0;
    while (!pending.isEmpty()) {
      long size = AddChunks.sizeOf(pending.peekFirst().job());
      if (!adder.chunks().fits(taken.size(), bytes, size)) {
        break;
      }
      taken.add(pending.pollFirst());
      bytes += size;
    }
    return taken;
  }

  private void send(List<Request> requests) {
    List<JobAdder.Prepared> jobs = new ArrayList<>(requests.size());
    for (Request r : requests) {
      jobs.add(r.job());
    }
    CompletableFuture<List<JobAdder.Added>> reply;
    try {
      reply = adder.addAsync(jobs);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenCompleteAsync((added, error) -> {
      try {
        for (int i = 0; i < requests.size(); i++) {
          if (error != null) {
            requests.get(i).done().completeExceptionally(error);
          } else {
            requests.get(i).done().complete(added.get(i));
          }
        }
      } finally {
        synchronized (lock) {
          if (pending.isEmpty()) {
            inFlight--;
          } else {
            send(takePending());
          }
        }
      }
    }, sender);
  }

  /** One daemon thread at most, gone after a few idle seconds, so a closed queue needs no shutdown call. */
  private static ExecutorService newSender() {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, "bullpen-add-sender");
          thread.setDaemon(true);
          return thread;
        });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }
}
