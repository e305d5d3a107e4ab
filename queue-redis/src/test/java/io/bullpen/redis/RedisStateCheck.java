package io.bullpen.redis;

import io.bullpen.JobState;
import io.bullpen.redis.QueueModel.ModelJob;
import io.bullpen.redis.QueueModel.Place;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Compares one queue in Redis with its {@link QueueModel}, after every step of a {@link QueueStateMachine}:
 * every job is in exactly one state structure and has its hash, removed jobs have neither hash nor lock, every
 * structure holds the predicted ids in the predicted order with the predicted scores, and the locks, hash
 * fields, counters, marker, events and the Queue's own reads (counts, states, paused) agree with the model.
 */
final class RedisStateCheck {
  private static final List<Place> ZSET_PLACES =
      List.of(Place.PRIORITIZED, Place.DELAYED, Place.COMPLETED, Place.FAILED);

  /** Threads that issue the Queue's blocking reads side by side. */
  private static final ExecutorService READERS = Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "state-machine-reader");
    t.setDaemon(true);
    return t;
  });

  private final QueueKeys keys;
  private final RedisClusterAsyncCommands<String, String> async;
  private final Queue queue;
  private final QueueModel model;
  private final StepLog log;
  private int checkedEvents;

  RedisStateCheck(QueueKeys keys, RedisClusterAsyncCommands<String, String> async, Queue queue, QueueModel model,
      StepLog log) {
    this.keys = keys;
    this.async = async;
    this.queue = queue;
    this.model = model;
    this.log = log;
  }

  void run() {
    checkStateStructures();
    checkJobKeys();
    checkQueueKeys();
    checkEvents();
    checkPublicReads();
  }

  /** wait, active and the state zsets: each id in exactly one, with its hash, in the model's order and scores. */
  private void checkStateStructures() {
    // Reads are sent together (Lettuce pipelines async commands) and awaited afterwards.
    RedisFuture<List<String>> waitF = async.lrange(keys.waitList(), 0, -1);
    RedisFuture<List<String>> activeF = async.lrange(keys.active(), 0, -1);
    Map<Place, RedisFuture<List<ScoredValue<String>>>> zsetsF = new EnumMap<>(Place.class);
    for (Place place : ZSET_PLACES) {
      zsetsF.put(place, async.zrangeWithScores(zsetKey(place), 0, -1));
    }
    RedisFuture<Long> legacyF = async.exists(keys.paused(), keys.waitingChildren());

    List<String> wait = new ArrayList<>(await(waitF));
    Collections.reverse(wait); // the right end runs first
    List<String> active = await(activeF);
    Map<Place, List<ScoredValue<String>>> zsets = new EnumMap<>(Place.class);
    zsetsF.forEach((place, f) -> zsets.put(place, await(f)));

    Map<String, List<String>> placesById = new HashMap<>();
    wait.forEach(id -> placesById.computeIfAbsent(id, k -> new ArrayList<>()).add("wait"));
    active.forEach(id -> placesById.computeIfAbsent(id, k -> new ArrayList<>()).add("active"));
    zsets.forEach((place, members) -> members.forEach(
        v -> placesById.computeIfAbsent(v.getValue(), k -> new ArrayList<>()).add(name(place))));
    Map<String, RedisFuture<Long>> hashExistsF = new HashMap<>();
    placesById.keySet().forEach(id -> hashExistsF.put(id, async.exists(keys.jobKey(id))));
    placesById.forEach((id, places) -> {
      log.check(places.size() == 1, "job " + id + " is in exactly one state, found in " + places);
      log.check(await(hashExistsF.get(id)) == 1, "job " + id + " (in " + places + ") has its hash");
    });
    log.check(await(legacyF) == 0, "no paused list and no waiting-children set");

    log.expect("wait list (next to run first)", List.copyOf(model.wait), wait);
    log.expect("active list", model.active, active);
    for (Place place : ZSET_PLACES) {
      List<String> expected = model.sorted(place).stream().map(j -> j.id + "@" + j.score).toList();
      List<String> actual = zsets.get(place).stream().map(v -> v.getValue() + "@" + (long) v.getScore()).toList();
      log.expect(name(place) + " zset (member@score)", expected, actual);
    }
  }

  /** Per job: removed jobs have no hash and no lock; live ones the predicted lock and hash fields. */
  private void checkJobKeys() {
    Map<String, RedisFuture<Long>> hashExistsF = new HashMap<>();
    Map<String, RedisFuture<String>> lockF = new HashMap<>();
    Map<String, RedisFuture<List<KeyValue<String, String>>>> fieldsF = new HashMap<>();
    for (String id : model.everStored) {
      hashExistsF.put(id, async.exists(keys.jobKey(id)));
      lockF.put(id, async.get(keys.lockKey(id)));
      fieldsF.put(id, async.hmget(keys.jobKey(id), "atm", "ats", "finishedOn", "delay"));
    }
    for (String id : model.everStored) {
      ModelJob job = model.jobs.get(id);
      String lock = await(lockF.get(id));
      if (job == null) {
        log.check(await(hashExistsF.get(id)) == 0 && lock == null, "removed job " + id + " has no hash and no lock");
        continue;
      }
      log.expect("lock of job " + id, job.token, lock);
      List<String> fields = await(fieldsF.get(id)).stream().map(v -> v.getValueOrElse(null)).toList();
      log.expect("atm of job " + id, job.attemptsMade, fields.get(0) == null ? 0 : Integer.parseInt(fields.get(0)));
      log.expect("ats of job " + id, job.attemptsStarted,
          fields.get(1) == null ? 0 : Integer.parseInt(fields.get(1)));
      log.expect("finishedOn of job " + id, job.finishedOn == null ? null : Long.toString(job.finishedOn),
          fields.get(2));
      log.expect("delay field of job " + id, Long.toString(job.delayField), fields.get(3));
    }
  }

  /** The marker zset and the id and priority counters. */
  private void checkQueueKeys() {
    RedisFuture<List<ScoredValue<String>>> markerF = async.zrangeWithScores(keys.marker(), 0, -1);
    RedisFuture<String> idCounterF = async.get(keys.idCounter());
    RedisFuture<String> pcF = async.get(keys.priorityCounter());
    List<String> expectedMarker = new ArrayList<>();
    if (model.readyMarker) {
      expectedMarker.add("0@0.0");
    }
    if (model.delayMarker != null) {
      expectedMarker.add("1@" + model.delayMarker);
    }
    log.expect("marker zset (member@score)", expectedMarker,
        await(markerF).stream().map(v -> v.getValue() + "@" + v.getScore()).toList());
    log.expect("id counter", model.idCounter == 0 ? null : Long.toString(model.idCounter), await(idCounterF));
    log.expect("priority counter", model.priorityCounter == 0 ? null : Long.toString(model.priorityCounter),
        await(pcF));
  }

  /** The events the last step added to the stream: names, fields and field order. */
  private void checkEvents() {
    List<List<String>> events = new ArrayList<>();
    for (StreamMessage<String, String> message : await(async.xrange(keys.events(), Range.create("-", "+")))) {
      List<String> event = new ArrayList<>();
      message.getBody().forEach((field, value) -> {
        if (event.isEmpty()) {
          log.check(field.equals("event"), "event " + message.getBody() + " opens with `event`");
        } else {
          event.add(field);
        }
        event.add(value);
      });
      events.add(event);
    }
    log.expect("events of the last step", model.events.subList(checkedEvents, model.events.size()),
        events.subList(Math.min(checkedEvents, events.size()), events.size()));
    checkedEvents = model.events.size();
  }

  /** The Queue's own reads; job states are asked concurrently so their round trips overlap. */
  private void checkPublicReads() {
    Map<String, CompletableFuture<JobState>> statesF = new LinkedHashMap<>();
    for (String id : model.jobs.keySet()) {
      statesF.put(id, CompletableFuture.supplyAsync(() -> queue.getJobState(id), READERS));
    }
    log.expect("getJobCounts()", model.counts(), queue.getJobCounts());
    log.expect("isPaused()", model.paused, queue.isPaused());
    statesF.forEach((id, state) ->
        log.expect("getJobState(" + id + ")", model.jobs.get(id).place.state, state.join()));
  }

  private static String name(Place place) {
    return place.name().toLowerCase(Locale.ROOT);
  }

  private String zsetKey(Place place) {
    return switch (place) {
      case PRIORITIZED -> keys.prioritized();
      case DELAYED -> keys.delayed();
      case COMPLETED -> keys.completed();
      case FAILED -> keys.failed();
      default -> throw new IllegalArgumentException(place + " is not a zset");
    };
  }

  static <T> T await(RedisFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Redis read failed", e);
    }
  }
}
