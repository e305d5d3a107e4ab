package io.bullpen.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps what a relay reported, in order, as lines such as {@code added 12} or {@code parked 7}. */
final class RecordingListener implements OutboxListener {
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  final List<Long> added = Collections.synchronizedList(new ArrayList<>());
  final List<OutboxRecord> parked = Collections.synchronizedList(new ArrayList<>());
  volatile int redisUnavailable;

  @Override
  public void onAdded(List<OutboxRecord> rows) {
    for (OutboxRecord r : rows) {
      added.add(r.id());
      events.add("added " + r.id());
    }
  }

  @Override
  public void onRetry(OutboxRecord row, Throwable error, Instant nextAttempt) {
    events.add("retry " + row.id() + " " + row.attempts());
  }

  @Override
  public void onParked(OutboxRecord row, Throwable error) {
    parked.add(row);
    events.add("parked " + row.id());
  }

  @Override
  public void onRedisUnavailable(Throwable error) {
    redisUnavailable++;
  }

  List<String> snapshot() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }
}
