package io.bullpen.scheduler;

import io.bullpen.ClosedException;
import io.bullpen.InvalidOptionException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the time-driven duties of a set of queues: it moves delayed jobs to wait when they are due (sleeping
 * until the earliest due time and woken early by a {@link DelayedJobFeed} when an earlier job is written), and
 * recovers stalled jobs: it calls the stalled check when the queue says the next one is due (the next full check,
 * or sooner, when a lock seen by the last one runs out), at least once per stalled interval. It works through
 * {@link ScheduledQueue}, so it does not know the storage; queue-redis provides the Redis side.
 *
 * <p>Every Bullpen {@code Worker} embeds one for its queue; {@code QueueSchedulers.start(...)} in queue-redis
 * runs one on its own, for example in a service that only produces jobs. Several schedulers (and BullMQ's Node
 * workers) may serve the same queue: each duty is one atomic step that finds nothing left to do when another
 * scheduler got there first, and the full stalled check runs once per interval across all of them. Since each
 * scheduler calls when the last full check's interval runs out, the checks go on at that pace when the scheduler
 * that ran them stops.
 *
 * <p>One timer thread does all the work, one more thread listens to the feed. Failures (Redis away) are reported
 * to {@link SchedulerListener#onError} and retried; they never stop the scheduler. Thread-safe.
 */
public final class QueueScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueScheduler.class);
  /** How often the due time is read from the queue anyway, in case the feed missed something. */
  static final long REFRESH_WITH_FEED_MILLIS = 5_000;
  static final long REFRESH_WITHOUT_FEED_MILLIS = 1_000;
  static final long FEED_WAIT_MILLIS = 5_000;
  /**
   * Pause between two reads of the feed. On a busy queue every job writes several events; reading them in batches
   * keeps that cheap, and the timer learns of an earlier delayed job at most this much later.
   */
  static final long FEED_PACE_MILLIS = 3;
  /**
   * While jobs are waiting already, a job promoted a little later starts no later (it queues behind them, and
   * workers promote due jobs themselves as they fetch), so the timer spares Redis the extra calls: it looks again
   * after the time the jobs ahead need at this rate at least, at most {@link #LONGEST_BACKLOG_PAUSE_MILLIS}.
   */
  static final long BACKLOG_JOBS_PER_MILLI = 50;
  static final long LONGEST_BACKLOG_PAUSE_MILLIS = 10;
  /**
   * The least time between two stalled checks of a queue (or the interval, if shorter), however soon the last one
   * said a lock runs out: a bound on the calls, should a queue keep answering "now".
   */
  static final long SHORTEST_STALLED_CHECK_GAP_MILLIS = 10;
  private static final long FIRST_ERROR_PAUSE_MILLIS = 100;
  private static final long LONGEST_ERROR_PAUSE_MILLIS = 5_000;

  private final List<QueueState> states;
  private final Map<ScheduledQueue, QueueState> byQueue = new IdentityHashMap<>();
  private final DelayedJobFeed feed;
  private final QueueSchedulerOptions options;
  private final Ticker ticker;
  private final long refreshMillis;
  private final String name;
  private final List<SchedulerListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean stalledChecksPaused;
  private final Object stalledCheckGate = new Object();
  private volatile boolean closed;
  /** When the parked timer wakes next (epoch ms), 0 while it is running a round. */
  private volatile long plannedWake;
  private Thread timer;
  private Thread feedReader;

  /**
   * A scheduler for {@code queues}, not started yet.
   *
   * @param feed news of delayed jobs, or null to only look at the queues every second; closed with the scheduler
   */
  public QueueScheduler(List<? extends ScheduledQueue> queues, DelayedJobFeed feed, QueueSchedulerOptions options) {
    Objects.requireNonNull(queues, "queues");
    if (queues.isEmpty()) {
      throw new IllegalArgumentException("a QueueScheduler needs at least one queue");
    }
    this.options = Objects.requireNonNull(options, "options");
    this.ticker = options.ticker();
    this.feed = feed;
    this.refreshMillis = feed == null ? REFRESH_WITHOUT_FEED_MILLIS : REFRESH_WITH_FEED_MILLIS;
    List<QueueState> list = new ArrayList<>(queues.size());
    List<String> names = new ArrayList<>(queues.size());
    for (ScheduledQueue queue : queues) {
      QueueState state = new QueueState(Objects.requireNonNull(queue, "queue"));
      list.add(state);
      byQueue.put(queue, state);
      names.add(queue.name());
    }
    this.states = List.copyOf(list);
    this.name = String.join(",", names);
  }

  /** @throws ClosedException when closed */
  public QueueScheduler addListener(SchedulerListener listener) {
    checkOpen();
    if (listener == null) {
      throw new InvalidOptionException("listener", null, "must not be null");
    }
    listeners.add(listener);
    return this;
  }

  public QueueScheduler removeListener(SchedulerListener listener) {
    listeners.remove(listener);
    return this;
  }

  public QueueSchedulerOptions options() {
    return options;
  }

  /** Names of the queues served. */
  public List<String> queueNames() {
    return states.stream().map(s -> s.queue.name()).toList();
  }

  /**
   * Starts the duties: a stalled check and a look at the delayed jobs right away, then as they come due. Does
   * nothing if running.
   *
   * @throws ClosedException if closed
   */
  public synchronized void start() {
    checkOpen();
    if (timer != null) {
      return;
    }
    timer = new Thread(this::runTimer, "bullpen-scheduler-" + name);
    timer.setDaemon(true);
    timer.start();
    if (feed != null && options.delayedPromotion()) {
      feedReader = new Thread(this::runFeed, "bullpen-scheduler-" + name + "-feed");
      feedReader.setDaemon(true);
      feedReader.start();
    }
  }

  public synchronized boolean isRunning() {
    return timer != null && !closed;
  }

  /**
   * Suspends the stalled checks (a paused worker does not look for stalled jobs); promotion goes on. Returns once
   * a check in progress has ended. Does nothing once closed (nothing runs any more).
   */
  public void pauseStalledChecks() {
    // Taken by the timer around each check: once this returns, no check is running and none starts.
    synchronized (stalledCheckGate) {
      stalledChecksPaused = true;
    }
  }

  /** Resumes the stalled checks, with one right away; does nothing once closed. */
  public void resumeStalledChecks() {
    // Under the gate: a check the timer starts after this is the one asked for, not one more.
    synchronized (stalledCheckGate) {
      if (!stalledChecksPaused) {
        return;
      }
      stalledChecksPaused = false;
      for (QueueState state : states) {
        state.stalledCheckWanted = true;
      }
    }
    wake();
  }

  /** Stops for good: ends the threads (waiting up to 5 s for a duty in progress) and closes the feed. */
  @Override
  public void close() {
    Thread timerThread;
    Thread feedThread;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      timerThread = timer;
      feedThread = feedReader;
    }
    if (timerThread != null) {
      LockSupport.unpark(timerThread);
    }
    // The timer finishes the duty in progress first: closing the feed may close connections the queues use.
    join(timerThread);
    if (feed != null) {
      try {
        feed.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the delayed-job feed of {} failed", name, e);
      }
    }
    join(feedThread);
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedException("the QueueScheduler of " + name);
    }
  }

  private void runTimer() {
    long now = ticker.millis();
    for (QueueState state : states) {
      state.nextStalledCheck = now;
      state.nextRefresh = now;
    }
    while (!closed) {
      plannedWake = 0;
      long wakeAt = Long.MAX_VALUE;
      for (QueueState state : states) {
        if (closed) {
          return;
        }
        wakeAt = Math.min(wakeAt, state.step());
      }
      plannedWake = wakeAt;
      // A due time reported while this round ran, earlier than the planned wake, means another round right away
      // (the feed only wakes a timer that is parked).
      if (!closed && !earlierHint(wakeAt)) {
        ticker.parkUntil(wakeAt);
      }
    }
  }

  private boolean earlierHint(long wakeAt) {
    for (QueueState state : states) {
      long hint = state.hint.get();
      if (hint > 0 && hint < wakeAt) {
        return true;
      }
    }
    return false;
  }

  private void runFeed() {
    long pause = FIRST_ERROR_PAUSE_MILLIS;
    DelayedJobFeed.Listener listener = (queue, due) -> {
      QueueState state = byQueue.get(queue);
      if (state != null && due > 0) {
        state.hint.accumulateAndGet(due, (known, reported) -> known == 0 ? reported : Math.min(known, reported));
        long planned = plannedWake;
        if (planned != 0 && due < planned) {
          wake();
        }
      }
    };
    while (!closed) {
      try {
        feed.await(FEED_WAIT_MILLIS, listener);
        pause = FIRST_ERROR_PAUSE_MILLIS;
        Thread.sleep(FEED_PACE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        error(name, e);
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        pause = Math.min(pause * 2, LONGEST_ERROR_PAUSE_MILLIS);
      }
    }
  }

  private void wake() {
    Thread timerThread = timer;
    if (timerThread != null) {
      LockSupport.unpark(timerThread);
    }
  }

  private void error(String queue, Throwable error) {
    if (closed) {
      LOG.debug("queue scheduler of {} (closed): {}", queue, error.toString());
      return;
    }
    LOG.warn("queue scheduler of {}: {}", queue, error.toString());
    fire(l -> l.onError(queue, error));
  }

  private void fire(Consumer<SchedulerListener> call) {
    for (SchedulerListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.warn("scheduler listener {} threw; ignored", listener, e);
      }
    }
  }

  private static void join(Thread thread) {
    if (thread == null || thread == Thread.currentThread()) {
      return;
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The timer thread's view of one queue; only {@link #hint} is touched by another thread. */
  private final class QueueState {
    final ScheduledQueue queue;
    /** The earliest due time the feed reported since the timer last looked, 0 for none. */
    final AtomicLong hint = new AtomicLong();
    long nextDue;
    long nextRefresh;
    long nextStalledCheck;
    /** A check asked for now (on resume); read and written under the stalled-check gate. */
    boolean stalledCheckWanted;
    long promotionRetryAt;
    long promotionPause = FIRST_ERROR_PAUSE_MILLIS;

    QueueState(ScheduledQueue queue) {
      this.queue = queue;
    }

    /** Does whatever is due now; returns when this queue needs the timer next. */
    long step() {
      long wakeAt = Long.MAX_VALUE;
      if (options.delayedPromotion()) {
        wakeAt = promote();
      }
      if (options.stalledChecks()) {
        synchronized (stalledCheckGate) {
          if (stalledChecksPaused) {
            return wakeAt;
          }
          if (stalledCheckWanted || ticker.millis() >= nextStalledCheck) {
            stalledCheckWanted = false;
            long interval = options.stalledInterval().toMillis();
            long callAgainIn = checkStalled(interval);
            nextStalledCheck = ticker.millis() + Math.max(Math.min(SHORTEST_STALLED_CHECK_GAP_MILLIS, interval),
                Math.min(callAgainIn, interval));
          }
        }
        wakeAt = Math.min(wakeAt, nextStalledCheck);
      }
      return wakeAt;
    }

    private long promote() {
      long reported = hint.getAndSet(0);
      if (reported > 0) {
        nextDue = nextDue == 0 ? reported : Math.min(nextDue, reported);
      }
      long now = ticker.millis();
      if (now >= promotionRetryAt) {
        try {
          if (now >= nextRefresh) {
            nextRefresh = now + refreshMillis;
            nextDue = queue.nextDelayedDue();
          }
          if (nextDue > 0 && ticker.millis() >= nextDue) {
            long at = ticker.millis();
            ScheduledQueue.Promotion promotion = queue.promoteDelayedJobs(at);
            nextDue = promotion.nextDueMillis();
            long backlogPause = Math.min(promotion.waiting() / BACKLOG_JOBS_PER_MILLI, LONGEST_BACKLOG_PAUSE_MILLIS);
            if (nextDue > 0 && backlogPause > 0) {
              nextDue = Math.max(nextDue, at + backlogPause);
            }
          }
          promotionPause = FIRST_ERROR_PAUSE_MILLIS;
        } catch (RuntimeException e) {
          error(queue.name(), e);
          promotionRetryAt = ticker.millis() + promotionPause;
          promotionPause = Math.min(promotionPause * 2, LONGEST_ERROR_PAUSE_MILLIS);
          nextRefresh = promotionRetryAt;
          return promotionRetryAt;
        }
      }
      long wakeAt = Math.max(nextRefresh, promotionRetryAt);
      if (nextDue > 0) {
        wakeAt = Math.min(wakeAt, Math.max(nextDue, promotionRetryAt));
      }
      return wakeAt;
    }

    /** Runs a check; returns in how many ms the next one is due (a full interval after a failure). */
    private long checkStalled(long interval) {
      ScheduledQueue.StalledCheck check;
      try {
        check = queue.moveStalledJobsToWait(options.maxStalledCount(), interval, ticker.millis());
      } catch (RuntimeException e) {
        error(queue.name(), e);
        return interval;
      }
      for (String jobId : check.moved()) {
        fire(l -> l.onStalled(queue.name(), jobId));
      }
      return check.nextCheckInMillis();
    }
  }
}
