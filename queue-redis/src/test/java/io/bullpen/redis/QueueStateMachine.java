package io.bullpen.redis;

import io.bullpen.Job;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.JobStateException;
import io.bullpen.KeepJobs;
import io.bullpen.redis.QueueModel.ModelJob;
import io.bullpen.redis.QueueModel.Place;
import io.bullpen.redis.internal.FetchResult;
import io.bullpen.redis.internal.QueueKeys;
import io.bullpen.redis.internal.ScriptRunner;
import io.bullpen.redis.internal.WorkerScripts;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One queue in a real Redis driven step by step next to a {@link QueueModel}: producer operations through
 * {@link Queue}, worker steps through {@link WorkerScripts} with a clock the test moves. Every operation checks
 * its direct answer against the model; {@link #checkInvariants()} compares the whole Redis state.
 */
final class QueueStateMachine implements AutoCloseable {
  private static final long START_MILLIS = 1_750_000_000_000L;
  private static final long LOCK_MILLIS = 600_000;
  private static final String PREFIX = "bull";

  /** A job to add: any of custom id, priority, delay, lifo and attempts. */
  record Add(String customId, int priority, long delay, boolean lifo, int attempts) {
    JobOptions options() {
      JobOptions.Builder b = JobOptions.builder().attempts(attempts);
      if (customId != null) {
        b.jobId(customId);
      }
      if (priority > 0) {
        b.priority(priority);
      }
      if (delay > 0) {
        b.delay(delay);
      }
      if (lifo) {
        b.lifo(true);
      }
      return b.build();
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("{");
      if (customId != null) s.append(" id=").append(customId);
      if (priority > 0) s.append(" priority=").append(priority);
      if (delay > 0) s.append(" delay=").append(delay);
      if (lifo) s.append(" lifo");
      s.append(" attempts=").append(attempts).append(" }");
      return s.toString();
    }
  }

  /** How a failure ends: for good, retried at once, or retried after a backoff. */
  enum FailMode { FINAL, RETRY_NOW, RETRY_LATER }

  private final TestClock clock = new TestClock(START_MILLIS);
  private final QueueModel model = new QueueModel(START_MILLIS);
  private final String queueName = "q-" + UUID.randomUUID();
  private final QueueKeys keys = new QueueKeys(PREFIX, queueName);
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private static final List<Place> ZSET_PLACES =
      List.of(Place.PRIORITIZED, Place.DELAYED, Place.COMPLETED, Place.FAILED);

  /** Threads that issue the Queue's blocking reads side by side. */
  private static final ExecutorService READERS = Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "state-machine-reader");
    t.setDaemon(true);
    return t;
  });

  private final RedisAsyncCommands<String, String> async;
  private final WorkerScripts scripts;
  private final Queue queue;
  private final List<String> history = new ArrayList<>();
  private int tokens;

  QueueStateMachine(String uri) {
    this.client = RedisClient.create(uri);
    try {
      this.connection = client.connect();
      this.async = connection.async();
      this.scripts = new WorkerScripts(keys, new ScriptRunner(connection.async()), 10_000, LOCK_MILLIS, null, "");
      this.queue = new Queue(queueName, QueueOptions.builder().redis(RedisConfig.of(uri)).prefix(PREFIX)
          .clock(clock).build());
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  // ---- operations --------------------------------------------------------------------------------------------

  void add(Add spec) {
    String expected = model.add(spec.customId(), spec.priority(), spec.delay(), spec.lifo(), spec.attempts());
    Job job = queue.add("job", Map.of("n", model.idCounter), spec.options());
    log("add " + spec + " -> " + job.id());
    expect("id of the added job", expected, job.id());
  }

  void addBulk(List<Add> specs) {
    List<String> expected = new ArrayList<>();
    List<JobSpec> jobs = new ArrayList<>();
    for (Add spec : specs) {
      expected.add(model.add(spec.customId(), spec.priority(), spec.delay(), spec.lifo(), spec.attempts()));
      jobs.add(JobSpec.of("bulk", null, spec.options()));
    }
    List<String> ids = queue.addBulk(jobs).stream().map(Job::id).toList();
    log("addBulk " + specs + " -> " + ids);
    expect("ids of the bulk-added jobs", expected, ids);
  }

  void fetch() {
    String token = nextToken();
    QueueModel.Fetched expected = model.fetch(token);
    FetchResult actual = scripts.moveToActive(token, model.now);
    log("fetch -> " + describe(actual) + (model.paused ? " (paused)" : ""));
    expectFetched(expected, actual);
  }

  /** Completes the active job picked by {@code pick}, optionally fetching the next one in the same call. */
  void complete(int pick, KeepJobs keep, boolean fetchNext) {
    ModelJob job = activeJob(pick);
    if (job == null) {
      log("complete: nothing to fetch");
      return;
    }
    String token = job.token;
    String nextToken = fetchNext ? nextToken() : null;
    QueueModel.Fetched expected = model.finish(job.id, true, keep, nextToken);
    FetchResult actual = scripts.moveToFinished(job.id, token, fetchNext ? nextToken : "0", true, "{\"ok\":1}",
        keep, job.attempts, fetchNext, model.now, List.of());
    log("complete " + job.id + " keep=" + keep + (fetchNext ? " fetchNext -> " + describe(actual) : ""));
    if (fetchNext) {
      expectFetched(expected, actual);
    }
  }

  /** Fails the active job picked by {@code pick}; a retry is only made while the job has attempts left. */
  void fail(int pick, FailMode wanted, long backoff, KeepJobs keep, boolean fetchNext) {
    ModelJob job = activeJob(pick);
    if (job == null) {
      log("fail: nothing to fetch");
      return;
    }
    FailMode mode = job.attemptsMade + 1 >= job.attempts ? FailMode.FINAL : wanted;
    String token = job.token;
    String nextToken = fetchNext ? nextToken() : null;
    List<String> fields = List.of("failedReason", "boom", "stacktrace", "[]");
    switch (mode) {
      case FINAL -> {
        QueueModel.Fetched expected = model.finish(job.id, false, keep, nextToken);
        FetchResult actual = scripts.moveToFinished(job.id, token, fetchNext ? nextToken : "0", false, "boom",
            keep, job.attempts, fetchNext, model.now, List.of("stacktrace", "[]"));
        log("fail " + job.id + " for good keep=" + keep + (fetchNext ? " fetchNext -> " + describe(actual) : ""));
        if (fetchNext) {
          expectFetched(expected, actual);
        }
      }
      case RETRY_NOW -> {
        // The worker passes the job's own lifo flag (JobRunner).
        model.retryNow(job.id, job.lifo);
        scripts.retryJob(job.id, token, job.lifo, model.now, fields);
        log("fail " + job.id + " and retry now");
      }
      case RETRY_LATER -> {
        QueueModel.Fetched expected = model.retryLater(job.id, backoff, nextToken);
        FetchResult actual = scripts.moveToDelayed(job.id, token, fetchNext ? nextToken : "0", backoff, fetchNext,
            model.now, fields);
        log("fail " + job.id + " and retry in " + backoff + " ms" + (fetchNext ? " fetchNext -> " + describe(actual)
            : ""));
        if (fetchNext) {
          expectFetched(expected, actual);
        }
      }
    }
  }

  /** Job.retry() on the job picked among all ids ever stored; only completed and failed jobs may be retried. */
  void retryJob(int pick) {
    String id = pickStored(pick);
    if (id == null) {
      log("job.retry: no jobs yet");
      return;
    }
    ModelJob job = model.jobs.get(id);
    java.util.Optional<Job> found = queue.getJob(id);
    expect("job " + id + " exists", job != null, found.isPresent());
    if (job == null) {
      log("job.retry " + id + ": gone");
      return;
    }
    boolean allowed = job.place == Place.COMPLETED || job.place == Place.FAILED;
    try {
      found.get().retry();
      log("job.retry " + id + " (was " + job.place + ")");
      expect("job.retry of a " + job.place + " job succeeds", allowed, true);
      model.reprocess(id);
    } catch (JobStateException e) {
      log("job.retry " + id + " refused (" + job.place + ")");
      expect("job.retry of a " + job.place + " job is refused", allowed, false);
    }
  }

  void retryJobs(boolean failed, int count, long before) {
    long timestamp = model.now - before;
    long expected = model.retryFinished(failed ? Place.FAILED : Place.COMPLETED, timestamp);
    long moved = queue.retryJobs(failed ? JobState.FAILED : JobState.COMPLETED, count, timestamp);
    log("retryJobs " + (failed ? "failed" : "completed") + " count=" + count + " upTo=now-" + before + " -> "
        + moved);
    expect("jobs moved by retryJobs", expected, moved);
  }

  void remove(int pick) {
    String id = pickStored(pick);
    if (id == null) {
      log("remove: no jobs yet");
      return;
    }
    boolean expected = model.remove(id);
    boolean removed = queue.remove(id);
    log("remove " + id + " -> " + removed);
    expect("remove(" + id + ")", expected, removed);
  }

  /** Promotes the delayed job picked by {@code pick} when {@code delayedOnly}, else any stored id (errors). */
  void promote(int pick, boolean delayedOnly) {
    List<String> delayed = model.ids(Place.DELAYED);
    String id = delayedOnly ? (delayed.isEmpty() ? null : delayed.get(pick % delayed.size())) : pickStored(pick);
    if (id == null) {
      log("promote: nothing to pick");
      return;
    }
    ModelJob job = model.jobs.get(id);
    String outcome;
    try {
      queue.promote(id);
      outcome = "ok";
    } catch (JobNotFoundException e) {
      outcome = "not found";
    } catch (JobStateException e) {
      outcome = "not delayed";
    }
    log("promote " + id + " -> " + outcome);
    String expected = job == null ? "not found" : job.place != Place.DELAYED ? "not delayed" : "ok";
    expect("promote(" + id + ")", expected, outcome);
    if (expected.equals("ok")) {
      model.promote(id);
    }
  }

  void promoteAll(int count) {
    long expected = model.promoteAll();
    long moved = queue.promoteJobs(count);
    log("promoteJobs count=" + count + " -> " + moved);
    expect("jobs moved by promoteJobs", expected, moved);
  }

  /** What an idle worker's blocking pop does to the marker (ZPOPMIN, the non-blocking form of BZPOPMIN). */
  void popMarker() {
    String expected = model.popMarker();
    List<ScoredValue<String>> popped = await(async.zpopmin(keys.marker(), 1));
    String member = popped.isEmpty() ? null : popped.get(0).getValue();
    log("worker pops marker -> " + member);
    expect("popped marker member", expected, member);
  }

  void drain(boolean includeDelayed) {
    model.drain(includeDelayed);
    queue.drain(includeDelayed);
    log("drain" + (includeDelayed ? " with delayed" : ""));
  }

  void pause() {
    queue.pause();
    model.pause();
    log("pause");
  }

  void resume() {
    queue.resume();
    model.resume();
    log("resume");
  }

  void advance(long millis) {
    clock.advance(millis);
    model.now += millis;
    log("time +" + millis + " ms");
  }

  // ---- invariants --------------------------------------------------------------------------------------------

  /**
   * Every job is in exactly one state structure and has its hash; removed jobs have none; every structure holds
   * what the model predicts in the predicted order and scores; locks, counters and the public reads agree.
   */
  void checkInvariants() {
    // All raw reads are sent at once (Lettuce pipelines async commands) and awaited together.
    RedisFuture<List<String>> waitF = async.lrange(keys.waitList(), 0, -1);
    RedisFuture<List<String>> activeF = async.lrange(keys.active(), 0, -1);
    Map<Place, RedisFuture<List<ScoredValue<String>>>> zsetsF = new EnumMap<>(Place.class);
    for (Place place : ZSET_PLACES) {
      zsetsF.put(place, async.zrangeWithScores(zsetKey(place), 0, -1));
    }
    RedisFuture<List<ScoredValue<String>>> markerF = async.zrangeWithScores(keys.marker(), 0, -1);
    RedisFuture<Long> legacyF = async.exists(keys.paused(), keys.waitingChildren());
    RedisFuture<String> idCounterF = async.get(keys.idCounter());
    RedisFuture<String> pcF = async.get(keys.priorityCounter());
    Map<String, RedisFuture<Long>> hashExistsF = new HashMap<>();
    Map<String, RedisFuture<String>> lockF = new HashMap<>();
    Map<String, RedisFuture<List<KeyValue<String, String>>>> fieldsF = new HashMap<>();
    for (String id : model.everStored) {
      hashExistsF.put(id, async.exists(keys.jobKey(id)));
      lockF.put(id, async.get(keys.lockKey(id)));
      fieldsF.put(id, async.hmget(keys.jobKey(id), "atm", "ats", "finishedOn", "delay"));
    }

    List<String> wait = new ArrayList<>(await(waitF));
    Collections.reverse(wait); // the right end runs first
    List<String> active = await(activeF);
    Map<Place, List<ScoredValue<String>>> zsets = new EnumMap<>(Place.class);
    zsetsF.forEach((place, f) -> zsets.put(place, await(f)));

    Map<String, List<String>> placesById = new HashMap<>();
    wait.forEach(id -> placesById.computeIfAbsent(id, k -> new ArrayList<>()).add("wait"));
    active.forEach(id -> placesById.computeIfAbsent(id, k -> new ArrayList<>()).add("active"));
    zsets.forEach((place, members) -> members.forEach(
        v -> placesById.computeIfAbsent(v.getValue(), k -> new ArrayList<>()).add(place.name().toLowerCase())));
    placesById.forEach((id, places) -> {
      check(places.size() == 1, "job " + id + " is in exactly one state, found in " + places);
      check(hashExistsF.containsKey(id) && await(hashExistsF.get(id)) == 1,
          "job " + id + " (in " + places + ") has its hash");
    });
    check(await(legacyF) == 0, "no paused list and no waiting-children set");

    expect("wait list (next to run first)", List.copyOf(model.wait), wait);
    expect("active list", model.active, active);
    for (Place place : ZSET_PLACES) {
      List<String> expected = model.sorted(place).stream().map(j -> j.id + "@" + j.score).toList();
      List<String> actual = zsets.get(place).stream().map(v -> v.getValue() + "@" + (long) v.getScore()).toList();
      expect(place.name().toLowerCase() + " zset (member@score)", expected, actual);
    }

    for (String id : model.everStored) {
      ModelJob job = model.jobs.get(id);
      String lock = await(lockF.get(id));
      if (job == null) {
        check(await(hashExistsF.get(id)) == 0 && lock == null, "removed job " + id + " has no hash and no lock");
        continue;
      }
      expect("lock of job " + id, job.token, lock);
      List<String> fields = await(fieldsF.get(id)).stream().map(v -> v.getValueOrElse(null)).toList();
      expect("atm of job " + id, job.attemptsMade, fields.get(0) == null ? 0 : Integer.parseInt(fields.get(0)));
      expect("ats of job " + id, job.attemptsStarted, fields.get(1) == null ? 0 : Integer.parseInt(fields.get(1)));
      expect("finishedOn of job " + id, job.finishedOn == null ? null : Long.toString(job.finishedOn),
          fields.get(2));
      expect("delay field of job " + id, Long.toString(job.delayField), fields.get(3));
    }
    List<String> expectedMarker = new ArrayList<>();
    if (model.readyMarker) {
      expectedMarker.add("0@0.0");
    }
    if (model.delayMarker != null) {
      expectedMarker.add("1@" + model.delayMarker);
    }
    expect("marker zset (member@score)", expectedMarker,
        await(markerF).stream().map(v -> v.getValue() + "@" + v.getScore()).toList());
    expect("id counter", model.idCounter == 0 ? null : Long.toString(model.idCounter), await(idCounterF));
    expect("priority counter", model.priorityCounter == 0 ? null : Long.toString(model.priorityCounter),
        await(pcF));

    // The public reads, through the Queue; job states are asked concurrently so their round trips overlap.
    Map<String, CompletableFuture<JobState>> statesF = new LinkedHashMap<>();
    for (String id : model.jobs.keySet()) {
      statesF.put(id, CompletableFuture.supplyAsync(() -> queue.getJobState(id), READERS));
    }
    expect("getJobCounts()", model.counts(), queue.getJobCounts());
    expect("isPaused()", model.paused, queue.isPaused());
    statesF.forEach((id, state) -> expect("getJobState(" + id + ")", model.jobs.get(id).place.state, state.join()));
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

  private static <T> T await(RedisFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Redis read failed", e);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  String fingerprint() {
    return model.fingerprint();
  }

  List<String> history() {
    return history;
  }

  /** The active job at {@code pick}; when none is active, one is fetched first (if the queue hands one out). */
  private ModelJob activeJob(int pick) {
    if (model.active.isEmpty()) {
      fetch();
    }
    return model.active.isEmpty() ? null : model.jobs.get(model.active.get(pick % model.active.size()));
  }

  private String pickStored(int pick) {
    if (model.everStored.isEmpty()) {
      return null;
    }
    return new ArrayList<>(model.everStored).get(pick % model.everStored.size());
  }

  private String nextToken() {
    return "token-" + (++tokens);
  }

  private void expectFetched(QueueModel.Fetched expected, FetchResult actual) {
    expect("fetched job", expected.jobId(), actual.jobId());
    if (expected.jobId() == null) {
      expect("next delayed due time", expected.nextDelayedDue(), actual.nextDelayedDueMillis());
    } else {
      expect("ats of the fetched job", Integer.toString(model.jobs.get(expected.jobId()).attemptsStarted),
          actual.fields().get("ats"));
    }
  }

  private static String describe(FetchResult result) {
    return result.hasJob() ? result.jobId() : "none (next due " + result.nextDelayedDueMillis() + ")";
  }

  private void log(String step) {
    history.add(step);
  }

  private void expect(String what, Object expected, Object actual) {
    check(java.util.Objects.equals(expected, actual),
        what + ": model expects " + expected + " but Redis has " + actual);
  }

  private void check(boolean condition, String message) {
    if (!condition) {
      StringBuilder steps = new StringBuilder();
      for (int i = 0; i < history.size(); i++) {
        steps.append("\n  ").append(i + 1).append(". ").append(history.get(i));
      }
      throw new AssertionError(message + "\nqueue " + queueName + ", now=" + model.now + ", steps:" + steps);
    }
  }

  @Override
  public void close() {
    try {
      queue.close();
    } finally {
      try {
        connection.close();
      } finally {
        client.shutdown();
      }
    }
  }

  @Override
  public String toString() {
    return "QueueStateMachine{" + queueName + ", " + history.size() + " steps}";
  }
}
