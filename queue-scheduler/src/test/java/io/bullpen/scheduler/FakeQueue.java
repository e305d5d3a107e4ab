package io.bullpen.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A queue in memory: delayed jobs by due time, and stalled ids handed out by the next check. */
final class FakeQueue implements ScheduledQueue {
  private final String name;
  private final TreeMap<Long, List<String>> delayed = new TreeMap<>();
  final List<String> promoted = new CopyOnWriteArrayList<>();
  final List<Long> promotionTimes = new CopyOnWriteArrayList<>();
  final List<Long> stalledChecks = new CopyOnWriteArrayList<>();
  final List<String> stalledNext = new CopyOnWriteArrayList<>();
  /** What the next checks answer as their next-check delay; a full interval once empty. */
  final Queue<Long> nextCheckIns = new ConcurrentLinkedQueue<>();
  final AtomicInteger reads = new AtomicInteger();
  volatile int failNextPromotions;
  private long waiting;

  FakeQueue(String name) {
    this.name = name;
  }

  synchronized void addDelayed(String id, long due) {
    delayed.computeIfAbsent(due, d -> new ArrayList<>()).add(id);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public StalledCheck moveStalledJobsToWait(int maxStalledCount, long stalledIntervalMillis, long nowMillis) {
    stalledChecks.add(nowMillis);
    List<String> ids = new ArrayList<>(stalledNext);
    stalledNext.clear();
    Long callAgainIn = nextCheckIns.poll();
    return new StalledCheck(ids, callAgainIn != null ? callAgainIn : stalledIntervalMillis);
  }

  @Override
  public synchronized Promotion promoteDelayedJobs(long nowMillis) {
    if (failNextPromotions > 0) {
      failNextPromotions--;
      throw new IllegalStateException("redis away");
    }
    promotionTimes.add(nowMillis);
    long ahead = waiting;
    Map<Long, List<String>> due = delayed.headMap(nowMillis, true);
    due.values().forEach(promoted::addAll);
    due.values().forEach(ids -> waiting += ids.size());
    due.clear();
    return new Promotion(delayed.isEmpty() ? 0 : delayed.firstKey(), ahead);
  }

  synchronized void setWaiting(long count) {
    waiting = count;
  }

  /** Jobs a worker takes out of wait. */
  synchronized void take(int count) {
    waiting = Math.max(0, waiting - count);
  }

  @Override
  public synchronized long nextDelayedDue() {
    reads.incrementAndGet();
    return delayed.isEmpty() ? 0 : delayed.firstKey();
  }
}
