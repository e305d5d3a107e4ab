package io.bullpen.redis.internal.settle;

import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.ScriptErrors;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Group commit for a worker's completions: jobs that finish while two completion calls are on their way to Redis
 * are completed together by the next call, one {@code settleJobs} script for all of them, which also claims each
 * one's successor. A lone completion goes out at once from the caller's thread, so nothing waits for company;
 * under load the batches grow by themselves and Redis runs one script per batch instead of one per job, with the
 * next batch already queued behind the one it is running. Each job
 * keeps its own lock check, events and keep policy, and the caller sees the same outcome (exceptions included)
 * as with {@code moveToFinished}.
 */
public final class CompletionBatcher {
  private final BatchScripts batch;
  private final WorkerScripts scripts;
  private final Supplier<String> tokens;
  private final Consumer<String> onUncertainClaim;
  private final long lockDurationMillis;
  private final Clock clock;
  private static final int PIPELINE = 2;
  private final Object lock = new Object();
  private List<Request> pending = new ArrayList<>();
  /** Calls on their way to Redis; up to {@link #PIPELINE} at once, so Redis never idles between two. */
  private int inFlight;

  /**
   * A completed job's successor (a job, or why there was none) and the token it is locked with;
   * {@code lookedForNext} tells whether Redis was asked for one at all.
   */
  public record Completion(FetchResult next, String nextToken, boolean lookedForNext) {}

  private static final class Request {
    final SettleOp op;
    final CompletableFuture<Completion> done = new CompletableFuture<>();

    Request(SettleOp op) {
      this.op = op;
    }
  }

  /** @param onUncertainClaim told the claim token of a call that failed after it may have run */
  public CompletionBatcher(BatchScripts batch, WorkerScripts scripts, Supplier<String> tokens,
      Consumer<String> onUncertainClaim, long lockDurationMillis, Clock clock) {
    this.batch = batch;
    this.onUncertainClaim = onUncertainClaim;
    this.scripts = scripts;
    this.tokens = tokens;
    this.lockDurationMillis = lockDurationMillis;
    this.clock = clock;
  }

  /**
   * Runs {@code completion} (a {@code c} operation, which may ask for a successor) with others ending at about
   * the same time; blocks until Redis answered. Throws what {@link WorkerScripts#moveToFinished} throws for the
   * same job state.
   */
  public Completion complete(SettleOp completion) {
    CompletableFuture<Completion> done = submit(completion);
    try {
      // Our call may queue behind one in flight: allow for both within the command timeout each.
      return RedisCalls.await(done, 2 * batch.timeoutMillis() + 1_000, what());
    } catch (RuntimeException e) {
      // The caller gives up on this reply; a successor it brings later would be locked for nobody.
      done.thenAccept(late -> {
        if (late.next().hasJob()) {
          onUncertainClaim.accept(late.nextToken());
        }
      });
      throw e;
    }
  }

  /**
   * Sends {@code completion} as {@link #complete} does, without waiting: the stage completes on a Redis I/O thread,
   * with the outcome or with what {@link #complete} would throw (untranslated). It always completes: each call
   * it may queue behind is bounded by the client's command timeout.
   */
  public CompletableFuture<Completion> submit(SettleOp completion) {
    Request request = new Request(completion);
    List<Request> toSend = null;
    synchronized (lock) {
      pending.add(request);
      if (inFlight < PIPELINE) {
        inFlight++;
        toSend = takePending();
      }
    }
    if (toSend != null) {
      send(toSend);
    }
    return request.done;
  }

  /** How failures name the call. */
  public String what() {
    return "moveToFinished(completed) with settleJobs on " + batch.keys();
  }

  private List<Request> takePending() {
    List<Request> taken = pending;
    pending = new ArrayList<>();
    return taken;
  }

  private void send(List<Request> requests) {
    List<SettleOp> ops = new ArrayList<>(requests.size());
    for (Request r : requests) {
      ops.add(r.op);
    }
    String claimToken = tokens.get();
    CompletableFuture<BatchScripts.Settled> reply;
    try {
      reply = batch.settleAsync(ops, 0, claimToken, lockDurationMillis, clock.millis());
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((settled, error) -> {
      try {
        if (error != null) {
          if (RedisCalls.mayHaveRun(error)) {
            onUncertainClaim.accept(claimToken);
          }
          requests.forEach(r -> r.done.completeExceptionally(error));
        } else {
          distribute(requests, settled, claimToken);
        }
      } finally {
        sendNext();
      }
    });
  }

  private void sendNext() {
    List<Request> next;
    synchronized (lock) {
      if (pending.isEmpty()) {
        inFlight--;
        return;
      }
      next = takePending();
    }
    send(next);
  }

  private void distribute(List<Request> requests, BatchScripts.Settled settled, String claimToken) {
    ClaimedJobs claimed = settled.claimed();
    FetchResult none = new FetchResult(null, null, claimed.rateLimitTtlMillis(), claimed.nextDelayedDueMillis());
    int nextJob = 0;
    for (int i = 0; i < requests.size(); i++) {
      Request r = requests.get(i);
      long code = settled.codes()[i];
      if (!ScriptErrors.moved(code)) {
        try {
          scripts.checkCode(code, r.op.jobId(), "moveToFinished(completed)");
        } catch (RuntimeException e) {
          r.done.completeExceptionally(e);
        }
        continue;
      }
      if (code == ScriptErrors.ALREADY_MOVED) {
        // An earlier send of this completion ran; it claimed no successor in this call.
        r.done.complete(new Completion(FetchResult.nothing(), claimToken, false));
      } else if (r.op.fetchNext() && nextJob < claimed.jobs().size()) {
        r.done.complete(new Completion(claimed.asFetchResult(nextJob++), claimToken, true));
      } else {
        r.done.complete(new Completion(none, claimToken, r.op.fetchNext()));
      }
    }
  }
}
