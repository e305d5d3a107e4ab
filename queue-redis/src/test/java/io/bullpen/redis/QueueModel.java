package io.bullpen.redis;

import io.bullpen.JobState;
import io.bullpen.KeepJobs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory model of one queue's placement rules (spec §1.2, §3, §4.1–§4.9): where every job is, in which
 * order, with which score, and the few hash fields the state machine changes. {@link QueueStateMachine} applies
 * each operation to Redis and to this model and compares the two.
 *
 * <p>Lists are kept in "next to run first" order; Redis keeps the wait list the other way round (the right end
 * is taken first), and {@code active} in its own left-to-right order.
 */
final class QueueModel {
  static final long PRIORITY_SHIFT = 1L << 32;
  static final int DELAY_SEQUENCE_SLOTS = 4096;
  private static final int DEFAULT_EVICTION_LIMIT = 1000;

  /** Where a job is. Only states the property reaches: no flows, so no waiting-children. */
  enum Place {
    WAIT(JobState.WAITING), PRIORITIZED(JobState.PRIORITIZED), DELAYED(JobState.DELAYED), ACTIVE(JobState.ACTIVE),
    COMPLETED(JobState.COMPLETED), FAILED(JobState.FAILED);

    final JobState state;

    Place(JobState state) {
      this.state = state;
    }
  }

  /** One live job (its hash exists). */
  static final class ModelJob {
    final String id;
    int priority;
    final boolean lifo;
    final int attempts;
    Place place;
    /** The zset score while prioritized, delayed, completed or failed. */
    long score;
    int attemptsMade;
    int attemptsStarted;
    long delayField;
    Long finishedOn;
    /** The lock token while active. */
    String token;
    /**
     * {@code <token>:<attemptsStarted>} of the lease call that last moved the job out of active: the same owner
     * repeating a move in the same attempt is told "done" again (bpsettled), and nothing changes.
     */
    String settledBy;

    ModelJob(String id, int priority, boolean lifo, int attempts, long delayField) {
      this.id = id;
      this.priority = priority;
      this.lifo = lifo;
      this.attempts = attempts;
      this.delayField = delayField;
    }
  }

  /** What a fetch hands out: a job id (with its new token) or nothing, and the next due time when nothing. */
  record Fetched(String jobId, long nextDelayedDue) {}

  long now;
  boolean paused;
  /** The `marker` zset (§3.3): member "0" (ready) and member "1" (earliest due ms, fractional). */
  boolean readyMarker;
  Double delayMarker;
  long idCounter;
  long priorityCounter;
  final Map<String, ModelJob> jobs = new LinkedHashMap<>();
  /** Every id ever stored, removed ones included, so their keys can be checked to be gone. */
  final Set<String> everStored = new LinkedHashSet<>();
  /** Next to run first. */
  final Deque<String> wait = new ArrayDeque<>();
  /** Redis order: the most recently fetched job first (LPUSH). */
  final List<String> active = new ArrayList<>();
  /** The events stream (§5) as the model predicts it: each entry the event name, then field, value pairs. */
  final List<List<String>> events = new ArrayList<>();

  QueueModel(long now) {
    this.now = now;
  }

  // ---- adding ------------------------------------------------------------------------------------------------

  /** Returns the id the add answers with; a duplicate custom id changes nothing but the id counter. */
  String add(String name, String customId, int priority, long delay, boolean lifo, int attempts) {
    idCounter++;
    String id = customId != null ? customId : Long.toString(idCounter);
    if (customId != null && jobs.containsKey(id)) {
      emit("duplicated", "jobId", id);
      return id;
    }
    ModelJob job = new ModelJob(id, priority, lifo, attempts, delay);
    jobs.put(id, job);
    everStored.add(id);
    emit("added", "jobId", id, "name", name);
    if (delay > 0) {
      placeDelayed(job, now + delay);
      emit("delayed", "jobId", id, "delay", Long.toString(now + delay));
      updateDelayMarker();
    } else {
      emit("waiting", "jobId", id);
      if (priority > 0) {
        placePrioritized(job);
      } else {
        placeInWait(job, lifo);
      }
      markReady();
    }
    return id;
  }

  // ---- worker steps ------------------------------------------------------------------------------------------

  /** moveToActive: promotes due delayed jobs, then takes wait's next job, else the lowest prioritized score. */
  Fetched fetch(String token) {
    promoteDueDelayed();
    if (paused) {
      return new Fetched(null, 0);
    }
    String id = wait.pollFirst();
    if (id == null) {
      ModelJob lowest = first(Place.PRIORITIZED);
      if (lowest == null) {
        priorityCounter = 0; // the script deletes `pc` when it finds prioritized empty
        ModelJob due = first(Place.DELAYED);
        return new Fetched(null, due == null ? 0 : due.score / DELAY_SEQUENCE_SLOTS);
      }
      id = lowest.id;
    }
    ModelJob job = jobs.get(id);
    job.place = Place.ACTIVE;
    job.token = token;
    job.attemptsStarted++;
    active.add(0, id);
    emit("active", "jobId", id, "prev", "waiting");
    markReady(); // wakes other workers
    return new Fetched(id, 0);
  }

  /**
   * moveToFinished into completed or failed with a keep policy; then, optionally, a fetch; then `drained` when
   * nothing at all is left to run.
   */
  Fetched finish(String id, boolean completed, String value, KeepJobs keep, String nextToken) {
    ModelJob job = leaveActive(id);
    job.attemptsMade++;
    int attemptsMade = job.attemptsMade;
    if (keep.count() == 0) {
      delete(id);
    } else {
      Place target = completed ? Place.COMPLETED : Place.FAILED;
      job.place = target;
      job.score = now;
      job.finishedOn = now;
      if (keep.ageSeconds() >= 0) {
        long cutoff = now - keep.ageSeconds() * 1000;
        long limit = keep.limit() > 0 ? keep.limit() : DEFAULT_EVICTION_LIMIT;
        sorted(target).stream().filter(j -> j.score <= cutoff).limit(limit).toList()
            .forEach(j -> delete(j.id));
      }
      if (keep.count() > 0) {
        List<ModelJob> ascending = sorted(target);
        ascending.subList(0, (int) Math.max(0, ascending.size() - keep.count())).stream().toList()
            .forEach(j -> delete(j.id));
      }
    }
    String target = completed ? "completed" : "failed";
    emit(target, "jobId", id, completed ? "returnvalue" : "failedReason", value, "prev", "active");
    if (!completed && attemptsMade >= job.attempts) {
      emit("retries-exhausted", "jobId", id, "attemptsMade", Integer.toString(attemptsMade));
    }
    if (nextToken != null) {
      Fetched next = fetch(nextToken);
      if (paused || next.jobId() != null || next.nextDelayedDue() > 0) {
        return next;
      }
    }
    if (wait.isEmpty() && active.isEmpty() && ids(Place.PRIORITIZED).isEmpty()) {
      emit("drained");
    }
    return nextToken == null ? null : new Fetched(null, 0);
  }

  /** retryJob: promotes due delayed jobs first, then puts the job back (prioritized, or wait honouring lifo). */
  void retryNow(String id, boolean lifo) {
    promoteDueDelayed();
    ModelJob job = leaveActive(id);
    if (job.priority > 0) {
      placePrioritized(job);
    } else {
      placeInWait(job, lifo);
    }
    markReady();
    job.attemptsMade++;
    emit("waiting", "jobId", id, "prev", "active");
  }

  /** Back to the front of wait (or of its priority, counter 0) without using an attempt (a lease abandoned). */
  void returnToWait(String id) {
    ModelJob job = leaveActive(id);
    if (job.priority > 0) {
      job.place = Place.PRIORITIZED;
      job.score = job.priority * PRIORITY_SHIFT;
    } else {
      placeInWait(job, true);
    }
    markReady();
    emit("waiting", "jobId", id, "prev", "active");
  }

  /** moveToDelayed (a retry after a backoff); then, optionally, a fetch. */
  Fetched retryLater(String id, long delay, String nextToken) {
    ModelJob job = leaveActive(id);
    placeDelayed(job, now + delay);
    job.attemptsMade++;
    job.delayField = delay;
    emit("delayed", "jobId", id, "delay", Long.toString(now + delay));
    Fetched next = nextToken == null ? null : fetch(nextToken);
    if (next == null || next.jobId() == null) {
      updateDelayMarker();
    }
    return next;
  }

  // ---- producer-side operations ------------------------------------------------------------------------------

  /** Job.retry (reprocess): a finished job goes to wait, priority ignored, front when lifo. */
  void reprocess(String id) {
    ModelJob job = jobs.get(id);
    emit("waiting", "jobId", id, "prev", job.place == Place.FAILED ? "failed" : "completed");
    job.finishedOn = null;
    placeInWait(job, job.lifo);
    markReady();
  }

  /** Queue.retryJobs: finished jobs with score <= timestamp, oldest first, each to the back of wait. */
  long retryFinished(Place from, long timestamp) {
    List<ModelJob> moved = sorted(from).stream().filter(j -> j.score <= timestamp).toList();
    for (ModelJob job : moved) {
      job.finishedOn = null;
      placeInWait(job, false);
      emit("waiting", "jobId", job.id, "prev", from == Place.FAILED ? "failed" : "completed");
    }
    if (!moved.isEmpty()) {
      markReady();
    }
    return moved.size();
  }

  /** Queue.promote: a delayed job runs now (prioritized keeps its priority). */
  void promote(String id) {
    ModelJob job = jobs.get(id);
    emit("waiting", "jobId", id, "prev", "delayed");
    if (job.priority > 0) {
      placePrioritized(job);
    } else {
      placeInWait(job, false);
    }
    job.delayField = 0;
    markReady();
  }

  /**
   * Queue.changePriority: a waiting or prioritized job is re-placed (priority 0 to wait, front with lifo; else a
   * fresh counter score, or the front of its priority with lifo); other states only keep the new value.
   */
  void changePriority(String id, int priority, boolean lifo) {
    ModelJob job = jobs.get(id);
    job.priority = priority;
    if (job.place != Place.WAIT && job.place != Place.PRIORITIZED) {
      return;
    }
    wait.remove(id);
    if (priority == 0) {
      placeInWait(job, lifo);
    } else if (lifo) {
      job.place = Place.PRIORITIZED;
      job.score = priority * PRIORITY_SHIFT;
    } else {
      placePrioritized(job);
    }
    markReady();
  }

  /** Queue.changeDelay: a delayed job gets a new due time counted from now. */
  void changeDelay(String id, long delay) {
    ModelJob job = jobs.get(id);
    placeDelayed(job, now + delay);
    job.delayField = delay;
    emit("delayed", "jobId", id, "delay", Long.toString(now + delay));
    updateDelayMarker();
  }

  /** Queue.promoteJobs: every delayed job, earliest first, to the back of wait; priorities are ignored. */
  long promoteAll() {
    List<ModelJob> moved = sorted(Place.DELAYED);
    for (ModelJob job : moved) {
      placeInWait(job, false);
      job.delayField = 0;
      emit("waiting", "jobId", job.id, "prev", "delayed");
    }
    if (!moved.isEmpty()) {
      markReady();
    }
    return moved.size();
  }

  /** An idle worker's BZPOPMIN on the marker: takes "0" before "1"; returns the member or null. */
  String popMarker() {
    if (readyMarker) {
      readyMarker = false;
      return "0";
    }
    if (delayMarker != null) {
      delayMarker = null;
      return "1";
    }
    return null;
  }

  /** Pausing stops fetches and deletes the marker; jobs stay where they are (BullMQ 6). */
  void pause() {
    paused = true;
    emit("paused");
    readyMarker = false;
    delayMarker = null;
  }

  /** Resuming wakes workers: the ready marker when something is runnable, else the delay marker. */
  void resume() {
    paused = false;
    if (!wait.isEmpty() || !ids(Place.PRIORITIZED).isEmpty()) {
      markReady();
    } else {
      updateDelayMarker();
    }
    emit("resumed");
  }

  /** Queue.drain: deletes waiting and prioritized jobs (and delayed ones if asked); `pc` and the marker stay. */
  void drain(boolean includeDelayed) {
    for (ModelJob job : List.copyOf(jobs.values())) {
      if (job.place == Place.WAIT || job.place == Place.PRIORITIZED || (includeDelayed && job.place == Place.DELAYED)) {
        delete(job.id);
      }
    }
    wait.clear();
  }

  /** Queue.remove: false for a missing job and for an active (locked) one. */
  boolean remove(String id) {
    ModelJob job = jobs.get(id);
    if (job == null || job.place == Place.ACTIVE) {
      return false;
    }
    if (job.place == Place.WAIT) {
      wait.remove(id);
    }
    emit("removed", "jobId", id, "prev", job.place.name().toLowerCase(Locale.ROOT));
    delete(id);
    return true;
  }

  // ---- reading -----------------------------------------------------------------------------------------------

  /** Jobs in a zset-backed place in Redis order: score, then member bytes. */
  List<ModelJob> sorted(Place place) {
    List<ModelJob> result = new ArrayList<>();
    for (ModelJob job : jobs.values()) {
      if (job.place == place) {
        result.add(job);
      }
    }
    result.sort(Comparator.<ModelJob>comparingLong(j -> j.score).thenComparing(j -> j.id));
    return result;
  }

  List<String> ids(Place place) {
    return jobs.values().stream().filter(j -> j.place == place).map(j -> j.id).toList();
  }

  Map<JobState, Long> counts() {
    Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    for (JobState state : JobState.values()) {
      if (state != JobState.UNKNOWN) {
        counts.put(state, 0L);
      }
    }
    for (ModelJob job : jobs.values()) {
      counts.merge(job.place.state, 1L, Long::sum);
    }
    return counts;
  }

  /** Everything the model knows, as text: equal fingerprints mean a step changed nothing. */
  String fingerprint() {
    StringBuilder s = new StringBuilder().append(now).append(paused).append(idCounter).append('/')
        .append(priorityCounter).append(readyMarker).append(delayMarker).append(wait).append(active);
    for (ModelJob j : jobs.values()) {
      s.append(j.id).append(j.place).append(j.score).append(j.attemptsMade).append(j.attemptsStarted)
          .append(j.delayField).append(j.finishedOn).append(';');
    }
    return s.toString();
  }

  // ---- placement ---------------------------------------------------------------------------------------------

  private void promoteDueDelayed() {
    boolean promoted = false;
    for (ModelJob job : sorted(Place.DELAYED)) {
      if (job.score / DELAY_SEQUENCE_SLOTS > now) {
        break;
      }
      if (job.priority > 0) {
        placePrioritized(job);
      } else {
        placeInWait(job, false);
      }
      job.delayField = 0;
      promoted = true;
      emit("waiting", "jobId", job.id, "prev", "delayed");
    }
    if (promoted) {
      markReady();
    }
  }

  private void emit(String name, String... fields) {
    List<String> event = new ArrayList<>();
    event.add(name);
    event.addAll(List.of(fields));
    events.add(event);
  }

  private void markReady() {
    if (!paused) {
      readyMarker = true;
    }
  }

  /** Member "1" is overwritten with the earliest due time; left alone when nothing is delayed. */
  private void updateDelayMarker() {
    ModelJob first = first(Place.DELAYED);
    if (first != null) {
      delayMarker = first.score / (double) DELAY_SEQUENCE_SLOTS;
    }
  }

  private ModelJob first(Place place) {
    List<ModelJob> jobsThere = sorted(place);
    return jobsThere.isEmpty() ? null : jobsThere.get(0);
  }

  private void placeInWait(ModelJob job, boolean front) {
    job.place = Place.WAIT;
    if (front) {
      wait.addFirst(job.id);
    } else {
      wait.addLast(job.id);
    }
  }

  private void placePrioritized(ModelJob job) {
    job.place = Place.PRIORITIZED;
    priorityCounter++;
    job.score = job.priority * PRIORITY_SHIFT + priorityCounter;
  }

  /** Delayed score: due × 4096 plus the next free sequence number within that millisecond. */
  private void placeDelayed(ModelJob job, long due) {
    long base = due * DELAY_SEQUENCE_SLOTS;
    long last = -1;
    for (ModelJob other : jobs.values()) {
      boolean sameMillisecond = other.score >= base && other.score < base + DELAY_SEQUENCE_SLOTS;
      if (other != job && other.place == Place.DELAYED && sameMillisecond) {
        last = Math.max(last, other.score);
      }
    }
    job.place = Place.DELAYED;
    job.score = last < 0 ? base : Math.min(last + 1, base + DELAY_SEQUENCE_SLOTS - 1);
  }

  private ModelJob leaveActive(String id) {
    ModelJob job = jobs.get(id);
    active.remove(id);
    job.token = null;
    return job;
  }

  private void delete(String id) {
    jobs.remove(id);
  }
}
