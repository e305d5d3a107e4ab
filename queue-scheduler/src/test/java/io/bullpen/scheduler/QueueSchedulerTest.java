package io.bullpen.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler's loops against an in-memory queue and a hand-moved ticker: no Redis, no waiting for real time. */
class QueueSchedulerTest {
  private static final long T0 = 1_800_000_000_000L;
  private final ManualTicker ticker = new ManualTicker(T0);
  private final FakeQueue queue = new FakeQueue("q");
  private final List<String> stalled = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private QueueScheduler scheduler;

  @AfterEach
  void close() {
    if (scheduler != null) {
      scheduler.close();
    }
  }

  private QueueScheduler start(List<FakeQueue> queues, DelayedJobFeed feed,
      UnaryOperator<QueueSchedulerOptions.Builder> options) {
    scheduler = new QueueScheduler(queues, feed, options.apply(QueueSchedulerOptions.builder().ticker(ticker)).build());
    scheduler.addListener(new SchedulerListener() {
      @Override
      public void onStalled(String queueName, String jobId) {
        stalled.add(queueName + "/" + jobId);
      }

      @Override
      public void onError(String queueName, Throwable error) {
        errors.add(error);
      }
    });
    scheduler.start();
    return scheduler;
  }

  private QueueScheduler start(DelayedJobFeed feed) {
    return start(List.of(queue), feed, b -> b);
  }

  @Test
  void promotesEachDelayedJobExactlyWhenItIsDue() {
    queue.addDelayed("a", T0 + 100);
    queue.addDelayed("b", T0 + 250);
    start(new TestFeed());
    await(() -> queue.reads.get() >= 1);
    ticker.advance(99);
    ticker.advance(1);
    await(() -> queue.promoted.equals(List.of("a")));
    ticker.advance(150);
    await(() -> queue.promoted.equals(List.of("a", "b")));
    assertEquals(List.of(T0 + 100, T0 + 250), queue.promotionTimes);
  }

  @Test
  void whileJobsAreWaitingAlreadyTheNextPromotionWaitsForThemToDrain() {
    queue.setWaiting(200);
    queue.addDelayed("a", T0 + 10);
    queue.addDelayed("b", T0 + 11);
    start(new TestFeed());
    await(() -> queue.reads.get() >= 1);
    ticker.advance(10);
    await(() -> queue.promoted.equals(List.of("a")));
    ticker.advance(1);
    ticker.advance(2);
    ticker.advance(1);
    await(() -> queue.promoted.equals(List.of("a", "b")));
    // 200 jobs ahead at 50 per ms: b, due at +11, is promoted at +14, before any worker could reach it.
    assertEquals(List.of(T0 + 10, T0 + 14), queue.promotionTimes);
  }

  @Test
  void feedWakesTheSchedulerForAJobDueEarlierThanAnyItKnew() {
    queue.addDelayed("late", T0 + 60_000);
    TestFeed feed = new TestFeed();
    start(feed);
    await(() -> queue.reads.get() >= 1);
    queue.addDelayed("early", T0 + 50);
    feed.report(queue, T0 + 50);
    ticker.advance(50);
    await(() -> queue.promoted.equals(List.of("early")));
    assertEquals(List.of(T0 + 50), queue.promotionTimes);
    assertEquals(1, queue.reads.get(), "found through the feed, not by reading the queue again");
  }

  @Test
  void withoutAFeedNewJobsAreFoundAtTheNextLook() throws Exception {
    start(null);
    await(() -> queue.reads.get() >= 1);
    queue.addDelayed("a", T0 + 50);
    ticker.advance(50);
    Thread.sleep(100);
    assertTrue(queue.promoted.isEmpty());
    ticker.advance(QueueScheduler.REFRESH_WITHOUT_FEED_MILLIS - 50);
    await(() -> queue.promoted.equals(List.of("a")));
    assertEquals(List.of(T0 + QueueScheduler.REFRESH_WITHOUT_FEED_MILLIS), queue.promotionTimes);
  }

  @Test
  void stalledCheckRunsAtStartAndThenOncePerInterval() throws Exception {
    start(List.of(queue), null, b -> b.stalledInterval(Duration.ofSeconds(30)));
    await(() -> queue.stalledChecks.size() == 1);
    ticker.advance(29_999);
    Thread.sleep(100);
    assertEquals(List.of(T0), queue.stalledChecks);
    ticker.advance(1);
    await(() -> queue.stalledChecks.size() == 2);
    assertEquals(List.of(T0, T0 + 30_000), queue.stalledChecks);
  }

  @Test
  void aCheckThatSeesALockRunOutSoonIsCalledAgainThenNeverSoonerThanTheFloorNorLaterThanTheInterval() {
    queue.nextCheckIns.addAll(List.of(700L, 0L, 90_000L));
    start(List.of(queue), null, b -> b.delayedPromotion(false).stalledInterval(Duration.ofSeconds(30)));
    long floor = QueueScheduler.SHORTEST_STALLED_CHECK_GAP_MILLIS;
    await(() -> queue.stalledChecks.size() == 1);
    for (long step : new long[] {700, floor, 30_000}) {
      int checks = queue.stalledChecks.size();
      // The timer parks once it has planned the next check; only then is the clock moved.
      await(() -> queue.stalledChecks.size() == checks && ticker.hasWaiters());
      ticker.advance(step);
      await(() -> queue.stalledChecks.size() == checks + 1);
    }
    assertEquals(List.of(T0, T0 + 700, T0 + 700 + floor, T0 + 700 + floor + 30_000), queue.stalledChecks);
  }

  @Test
  void everyStalledJobIsReportedWithItsQueue() {
    queue.stalledNext.addAll(List.of("7", "9"));
    start(null);
    await(() -> stalled.size() == 2);
    assertEquals(List.of("q/7", "q/9"), stalled);
  }

  @Test
  void pausedStalledChecksResumeWithACheckRightAway() throws Exception {
    start(List.of(queue), null, b -> b.stalledInterval(Duration.ofSeconds(30)));
    await(() -> queue.stalledChecks.size() == 1);
    scheduler.pauseStalledChecks();
    ticker.advance(60_000);
    Thread.sleep(100);
    assertEquals(1, queue.stalledChecks.size());
    ticker.advance(5_000);
    scheduler.resumeStalledChecks();
    await(() -> queue.stalledChecks.size() == 2);
    assertEquals(T0 + 65_000, queue.stalledChecks.get(1));
  }

  @Test
  void failedPromotionsAreReportedAndRetriedWithGrowingPauses() {
    queue.addDelayed("a", T0 + 10);
    queue.failNextPromotions = 2;
    start(new TestFeed());
    await(() -> queue.reads.get() >= 1);
    ticker.advance(10);
    await(() -> errors.size() == 1);
    ticker.advance(100);
    await(() -> errors.size() == 2);
    ticker.advance(199);
    ticker.advance(1);
    await(() -> queue.promoted.equals(List.of("a")));
    assertEquals("redis away", errors.get(0).getMessage());
    assertEquals(List.of(T0 + 310), queue.promotionTimes);
  }

  @Test
  void oneSchedulerServesSeveralQueues() {
    FakeQueue other = new FakeQueue("other");
    queue.addDelayed("a", T0 + 20);
    other.addDelayed("b", T0 + 10);
    start(List.of(queue, other), new TestFeed(), b -> b);
    await(() -> queue.reads.get() >= 1 && other.reads.get() >= 1);
    ticker.advance(10);
    await(() -> other.promoted.equals(List.of("b")));
    ticker.advance(10);
    await(() -> queue.promoted.equals(List.of("a")));
    assertEquals(List.of("q", "other"), scheduler.queueNames());
    assertEquals(2, queue.stalledChecks.size() + other.stalledChecks.size());
  }

  @Test
  void dutiesTurnedOffAreNotRun() throws Exception {
    queue.addDelayed("a", T0);
    start(List.of(queue), new TestFeed(), b -> b.delayedPromotion(false).stalledChecks(false));
    ticker.advance(60_000);
    Thread.sleep(100);
    assertTrue(queue.promoted.isEmpty());
    assertTrue(queue.stalledChecks.isEmpty());
    assertEquals(0, queue.reads.get());
  }

  @Test
  void closeEndsTheThreadsAndClosesTheFeed() {
    TestFeed feed = new TestFeed();
    start(feed);
    assertTrue(scheduler.isRunning());
    scheduler.close();
    scheduler.close();
    assertFalse(scheduler.isRunning());
    assertTrue(feed.closed);
    assertFalse(Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith("bullpen-scheduler-q") && t.isAlive()));
    assertThrows(io.bullpen.ClosedException.class, scheduler::start);
  }

  @Test
  void throwingListenersDoNotStopTheScheduler() {
    queue.stalledNext.add("1");
    queue.addDelayed("a", T0 + 5);
    scheduler = new QueueScheduler(List.of(queue), null, QueueSchedulerOptions.builder().ticker(ticker).build());
    scheduler.addListener(new SchedulerListener() {
      @Override
      public void onStalled(String queueName, String jobId) {
        throw new IllegalStateException("listener bug");
      }
    });
    scheduler.start();
    await(() -> queue.stalledChecks.size() == 1 && queue.reads.get() >= 1);
    ticker.advance(5);
    await(() -> queue.promoted.equals(List.of("a")));
  }

  @Test
  void optionsAreValidatedAtOnce() {
    assertEquals("stalledInterval", assertThrows(InvalidOptionException.class,
        () -> QueueSchedulerOptions.builder().stalledInterval(Duration.ZERO)).field());
    assertEquals("maxStalledCount", assertThrows(InvalidOptionException.class,
        () -> QueueSchedulerOptions.builder().maxStalledCount(-1)).field());
    assertEquals("ticker", assertThrows(InvalidOptionException.class,
        () -> QueueSchedulerOptions.builder().ticker(null)).field());
    QueueSchedulerOptions defaults = QueueSchedulerOptions.defaults();
    assertEquals(Duration.ofSeconds(30), defaults.stalledInterval());
    assertEquals(1, defaults.maxStalledCount());
    assertThrows(IllegalArgumentException.class, () -> new QueueScheduler(List.of(), null, defaults));
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** A feed the test writes to by hand. */
  private static final class TestFeed implements DelayedJobFeed {
    private final LinkedBlockingQueue<Object[]> news = new LinkedBlockingQueue<>();
    volatile boolean closed;

    void report(ScheduledQueue queue, long due) {
      news.add(new Object[] {queue, due});
    }

    @Override
    public void await(long maxWaitMillis, Listener listener) throws InterruptedException {
      Object[] first = news.poll(maxWaitMillis, TimeUnit.MILLISECONDS);
      while (first != null && !closed) {
        if (first.length == 2) {
          listener.delayed((ScheduledQueue) first[0], (Long) first[1]);
        }
        first = news.poll();
      }
    }

    @Override
    public void close() {
      closed = true;
      news.add(new Object[0]);
    }
  }
}
