package io.bullpen.redis;

import io.bullpen.Job;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.JobStateException;
import io.bullpen.KeepJobs;
import io.bullpen.redis.QueueModel.ModelJob;
import io.bullpen.redis.QueueModel.Place;
import io.bullpen.redis.internal.settle.FetchResult;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.redis.internal.settle.WorkerScripts;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.QueueNames;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One queue in a real Redis driven step by step next to a {@link QueueModel}: producer operations through
 * {@link Queue}, worker steps through {@link WorkerScripts} with a clock the test moves. Every operation checks
 * its direct answer against the model; {@link #checkInvariants()} compares the whole Redis state.
 */
final class QueueStateMachine implements AutoCloseable {
  private static final long START_MILLIS = 1_750_000_000_000L;
  private static final long LOCK_MILLIS = 600_000;
  static final String PREFIX = "bull";
  private static final String RESULT = "{\"ok\":1}";

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
  private final String queueName;
  private final QueueKeys keys;
  private final DirectRedis direct;
  private final RedisClusterAsyncCommands<String, String> async;
  private final WorkerScripts scripts;
  private final Queue queue;
  private final StepLog log;
  private int tokens;
  private final RedisStateCheck stateCheck;

  QueueStateMachine(String uri) {
    this(uri, PREFIX, QueueNames.unique("q"), UnaryOperator.identity());
  }

  /** A machine on the queue {@code prefix:queueName}, its Queue's options changed by {@code options}. */
  QueueStateMachine(String uri, String prefix, String queueName, UnaryOperator<QueueOptions.Builder> options) {
    this.queueName = queueName;
    this.keys = new QueueKeys(prefix, queueName);
    this.direct = DirectRedis.connect(uri);
    try {
      this.async = direct.async();
      this.scripts = new WorkerScripts(keys, new ScriptRunner(direct.async()), 10_000, LOCK_MILLIS, null, "");
      this.queue = new Queue(queueName, options.apply(QueueOptions.builder().redis(RedisConfig.of(uri))
          .prefix(prefix).clock(clock)).build());
      this.log = new StepLog(queueName, model);
      this.stateCheck = new RedisStateCheck(keys, direct.async(), queue, model, log);
    } catch (RuntimeException e) {
      direct.close();
      throw e;
    }
  }

  // ---- operations --------------------------------------------------------------------------------------------

  void add(Add spec) {
    String expected = model.add("job", spec.customId(), spec.priority(), spec.delay(), spec.lifo(), spec.attempts());
    Job job = queue.add("job", Map.of("n", model.idCounter), spec.options());
    log.add("add " + spec + " -> " + job.id());
    log.expect("id of the added job", expected, job.id());
  }

  void addBulk(List<Add> specs) {
    List<String> expected = new ArrayList<>();
    List<JobSpec> jobs = new ArrayList<>();
    for (Add spec : specs) {
      expected.add(model.add("bulk", spec.customId(), spec.priority(), spec.delay(), spec.lifo(), spec.attempts()));
      jobs.add(JobSpec.of("bulk", null, spec.options()));
    }
    List<String> ids = queue.addBulk(jobs).stream().map(Job::id).toList();
    log.add("addBulk " + specs + " -> " + ids);
    log.expect("ids of the bulk-added jobs", expected, ids);
  }

  void fetch() {
    String token = nextToken();
    QueueModel.Fetched expected = model.fetch(token);
    FetchResult actual = scripts.moveToActive(token, model.now);
    log.add("fetch -> " + describe(actual) + (model.paused ? " (paused)" : ""));
    expectFetched(expected, actual);
  }

  /** Completes the active job picked by {@code pick}, optionally fetching the next one in the same call. */
  void complete(int pick, KeepJobs keep, boolean fetchNext) {
    ModelJob job = activeJob(pick);
    if (job == null) {
      log.add("complete: nothing to fetch");
      return;
    }
    String token = job.token;
    String nextToken = fetchNext ? nextToken() : null;
    QueueModel.Fetched expected = model.finish(job.id, true, RESULT, keep, nextToken);
    FetchResult actual = scripts.moveToFinished(job.id, token, fetchNext ? nextToken : "0", true, RESULT,
        keep, job.attempts, fetchNext, model.now, List.of());
    log.add("complete " + job.id + " keep=" + keep + (fetchNext ? " fetchNext -> " + describe(actual) : ""));
    if (fetchNext) {
      expectFetched(expected, actual);
    }
  }

  /** Fails the active job picked by {@code pick}; a retry is only made while the job has attempts left. */
  void fail(int pick, FailMode wanted, long backoff, KeepJobs keep, boolean fetchNext) {
    ModelJob job = activeJob(pick);
    if (job == null) {
      log.add("fail: nothing to fetch");
      return;
    }
    FailMode mode = job.attemptsMade + 1 >= job.attempts ? FailMode.FINAL : wanted;
    String token = job.token;
    String nextToken = fetchNext ? nextToken() : null;
    List<String> fields = List.of("failedReason", "boom", "stacktrace", "[]");
    switch (mode) {
      case FINAL -> {
        QueueModel.Fetched expected = model.finish(job.id, false, "boom", keep, nextToken);
        FetchResult actual = scripts.moveToFinished(job.id, token, fetchNext ? nextToken : "0", false, "boom",
            keep, job.attempts, fetchNext, model.now, List.of("stacktrace", "[]"));
        log.add("fail " + job.id + " for good keep=" + keep + (fetchNext ? " fetchNext -> " + describe(actual) : ""));
        if (fetchNext) {
          expectFetched(expected, actual);
        }
      }
      case RETRY_NOW -> {
        // The worker passes the job's own lifo flag (JobRunner).
        model.retryNow(job.id, job.lifo);
        scripts.retryJob(job.id, token, job.lifo, model.now, fields);
        log.add("fail " + job.id + " and retry now");
      }
      case RETRY_LATER -> {
        QueueModel.Fetched expected = model.retryLater(job.id, backoff, nextToken);
        FetchResult actual = scripts.moveToDelayed(job.id, token, fetchNext ? nextToken : "0", backoff, fetchNext,
            model.now, fields);
        log.add("fail " + job.id + " and retry in " + backoff + " ms" + (fetchNext ? " fetchNext -> " + describe(actual)
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
      log.add("job.retry: no jobs yet");
      return;
    }
    ModelJob job = model.jobs.get(id);
    java.util.Optional<Job> found = queue.getJob(id);
    log.expect("job " + id + " exists", job != null, found.isPresent());
    if (job == null) {
      log.add("job.retry " + id + ": gone");
      return;
    }
    boolean allowed = job.place == Place.COMPLETED || job.place == Place.FAILED;
    try {
      found.get().retry();
      log.add("job.retry " + id + " (was " + job.place + ")");
      log.expect("job.retry of a " + job.place + " job succeeds", allowed, true);
      model.reprocess(id);
    } catch (JobStateException e) {
      log.add("job.retry " + id + " refused (" + job.place + ")");
      log.expect("job.retry of a " + job.place + " job is refused", allowed, false);
    }
  }

  void retryJobs(boolean failed, int count, long before) {
    long timestamp = model.now - before;
    long expected = model.retryFinished(failed ? Place.FAILED : Place.COMPLETED, timestamp);
    long moved = queue.retryJobs(failed ? JobState.FAILED : JobState.COMPLETED, count, timestamp);
    log.add("retryJobs " + (failed ? "failed" : "completed") + " count=" + count + " upTo=now-" + before + " -> "
        + moved);
    log.expect("jobs moved by retryJobs", expected, moved);
  }

  void remove(int pick) {
    String id = pickStored(pick);
    if (id == null) {
      log.add("remove: no jobs yet");
      return;
    }
    boolean expected = model.remove(id);
    boolean removed = queue.remove(id);
    log.add("remove " + id + " -> " + removed);
    log.expect("remove(" + id + ")", expected, removed);
  }

  /** Promotes the delayed job picked by {@code pick} when {@code delayedOnly}, else any stored id (errors). */
  void promote(int pick, boolean delayedOnly) {
    List<String> delayed = model.ids(Place.DELAYED);
    String id = delayedOnly ? (delayed.isEmpty() ? null : delayed.get(pick % delayed.size())) : pickStored(pick);
    if (id == null) {
      log.add("promote: nothing to pick");
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
    log.add("promote " + id + " -> " + outcome);
    String expected = job == null ? "not found" : job.place != Place.DELAYED ? "not delayed" : "ok";
    log.expect("promote(" + id + ")", expected, outcome);
    if (expected.equals("ok")) {
      model.promote(id);
    }
  }

  void changePriority(int pick, int priority, boolean lifo) {
    String id = pickStored(pick);
    if (id == null) {
      log.add("changePriority: no jobs yet");
      return;
    }
    ModelJob job = model.jobs.get(id);
    String outcome;
    try {
      queue.changePriority(id, priority, lifo);
      outcome = "ok";
    } catch (JobNotFoundException e) {
      outcome = "not found";
    }
    log.add("changePriority " + id + " to " + priority + (lifo ? " lifo" : "") + " -> " + outcome
        + (job == null ? "" : " (" + job.place + ")"));
    log.expect("changePriority(" + id + ")", job == null ? "not found" : "ok", outcome);
    if (job != null) {
      model.changePriority(id, priority, lifo);
    }
  }

  /** Changes the delay of the delayed job picked by {@code pick} when {@code delayedOnly}, else of any id. */
  void changeDelay(int pick, long delay, boolean delayedOnly) {
    List<String> delayed = model.ids(Place.DELAYED);
    String id = delayedOnly ? (delayed.isEmpty() ? null : delayed.get(pick % delayed.size())) : pickStored(pick);
    if (id == null) {
      log.add("changeDelay: nothing to pick");
      return;
    }
    ModelJob job = model.jobs.get(id);
    String outcome;
    try {
      queue.changeDelay(id, delay);
      outcome = "ok";
    } catch (JobNotFoundException e) {
      outcome = "not found";
    } catch (JobStateException e) {
      outcome = "not delayed";
    }
    log.add("changeDelay " + id + " to " + delay + " -> " + outcome);
    String expected = job == null ? "not found" : job.place != Place.DELAYED ? "not delayed" : "ok";
    log.expect("changeDelay(" + id + ")", expected, outcome);
    if (expected.equals("ok")) {
      model.changeDelay(id, delay);
    }
  }

  void promoteAll(int count) {
    long expected = model.promoteAll();
    long moved = queue.promoteJobs(count);
    log.add("promoteJobs count=" + count + " -> " + moved);
    log.expect("jobs moved by promoteJobs", expected, moved);
  }

  /** What an idle worker's blocking pop does to the marker (ZPOPMIN, the non-blocking form of BZPOPMIN). */
  void popMarker() {
    String expected = model.popMarker();
    List<ScoredValue<String>> popped = RedisStateCheck.await(async.zpopmin(keys.marker(), 1));
    String member = popped.isEmpty() ? null : popped.get(0).getValue();
    log.add("worker pops marker -> " + member);
    log.expect("popped marker member", expected, member);
  }

  void drain(boolean includeDelayed) {
    model.drain(includeDelayed);
    queue.drain(includeDelayed);
    log.add("drain" + (includeDelayed ? " with delayed" : ""));
  }

  void pause() {
    queue.pause();
    model.pause();
    log.add("pause");
  }

  void resume() {
    queue.resume();
    model.resume();
    log.add("resume");
  }

  void advance(long millis) {
    clock.advance(millis);
    model.now += millis;
    log.add("time +" + millis + " ms");
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  Queue queue() {
    return queue;
  }

  QueueModel model() {
    return model;
  }

  StepLog log() {
    return log;
  }

  QueueKeys keys() {
    return keys;
  }

  String fingerprint() {
    return model.fingerprint();
  }

  List<String> history() {
    return log.steps();
  }

  /**
   * Every job is in exactly one state and has its hash, removed jobs have none, and Redis holds what the model
   * predicts (see {@link RedisStateCheck}).
   */
  void checkInvariants() {
    stateCheck.run();
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
    log.expect("fetched job", expected.jobId(), actual.jobId());
    if (expected.jobId() == null) {
      log.expect("next delayed due time", expected.nextDelayedDue(), actual.nextDelayedDueMillis());
    } else {
      log.expect("ats of the fetched job", Integer.toString(model.jobs.get(expected.jobId()).attemptsStarted),
          actual.fields().get("ats"));
    }
  }

  private static String describe(FetchResult result) {
    return result.hasJob() ? result.jobId() : "none (next due " + result.nextDelayedDueMillis() + ")";
  }

  @Override
  public void close() {
    try {
      queue.close();
    } finally {
      direct.close();
    }
  }

  @Override
  public String toString() {
    return "QueueStateMachine{" + queueName + ", " + log.steps().size() + " steps}";
  }
}
