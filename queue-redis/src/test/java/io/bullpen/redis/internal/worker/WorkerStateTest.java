package io.bullpen.redis.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The waits of a worker's shared run state end when what they wait for happens, although ending a job only wakes
 * waiters when it frees the first slot of a full worker, its last slot, or its last held job.
 */
class WorkerStateTest {
  @Test
  void aFetchWaitingForASlotGetsTheFirstOneFreed() throws Exception {
    WorkerState state = new WorkerState(2);
    assertTrue(state.acquireSlot(0));
    assertTrue(state.acquireSlot(0));
    assertFalse(state.acquireSlot(10), "full");
    CompletableFuture<Boolean> waiting = waitForSlot(state);
    state.releaseSlot();
    assertTrue(waiting.get(10, TimeUnit.SECONDS));
    assertEquals(2, state.inFlight());
  }

  @Test
  void slotsGivenBackInOneStepWakeAFetchWaitingOnAFullWorker() throws Exception {
    WorkerState state = new WorkerState(3);
    assertEquals(3, state.acquireFreeSlots(5));
    CompletableFuture<Boolean> waiting = waitForSlot(state);
    state.releaseSlots(2);
    assertTrue(waiting.get(10, TimeUnit.SECONDS));
    assertEquals(2, state.inFlight());
  }

  @Test
  void waitingForIdleEndsWhenTheLastSlotIsReleasedNotBefore() throws Exception {
    WorkerState state = new WorkerState(3);
    assertEquals(3, state.acquireFreeSlots(3));
    CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> awaitIdle(state, 30_000));
    awaitQueuedWaiter(state);
    state.releaseSlot();
    state.releaseSlot();
    assertFalse(state.awaitIdle(20), "one slot is still in use");
    assertFalse(idle.isDone());
    state.releaseSlot();
    assertTrue(idle.get(10, TimeUnit.SECONDS));
  }

  @Test
  void waitingForNoHeldJobsEndsWhenTheLastOneIsReleased() throws Exception {
    WorkerState state = new WorkerState(4);
    state.holdJobs(3);
    CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> awaitNoHeldJobs(state));
    awaitQueuedWaiter(state);
    state.releaseJobs(2);
    assertEquals(1, state.heldJobs());
    assertFalse(drained.isDone());
    state.releaseJobs(1);
    drained.get(10, TimeUnit.SECONDS);
    assertEquals(0, state.heldJobs());
  }

  @Test
  void aForcedCloseEndsTheWaitForHeldJobs() throws Exception {
    WorkerState state = new WorkerState(1);
    state.holdJobs(1);
    CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> awaitNoHeldJobs(state));
    awaitQueuedWaiter(state);
    state.startClosing(true);
    drained.get(10, TimeUnit.SECONDS);
  }

  /** A fetch on another thread, waiting for a slot of the full worker. */
  private static CompletableFuture<Boolean> waitForSlot(WorkerState state) throws InterruptedException {
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> acquire(state, 30_000));
    awaitQueuedWaiter(state);
    return waiting;
  }

  private static boolean acquire(WorkerState state, long millis) {
    try {
      return state.acquireSlot(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitNoHeldJobs(WorkerState state) {
    try {
      state.awaitNoHeldJobs();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean awaitIdle(WorkerState state, long millis) {
    try {
      return state.awaitIdle(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits (on the condition, not on time) until another thread is parked in one of the state's waits. */
  private static void awaitQueuedWaiter(WorkerState state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!state.hasWaiters()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no thread started waiting");
      }
      Thread.onSpinWait();
    }
  }
}
