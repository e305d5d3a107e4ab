package io.bullpen.redis.internal.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.bullpen.BullpenException;
import io.bullpen.InvalidOptionException;
import io.bullpen.StoredText;
import io.bullpen.TimeLimits;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobStateException;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.codec.OptionsCodec;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.AsyncLoop;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.RedisCalls;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.script.ScriptErrors;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.scheduler.Repeat;
import io.bullpen.scheduler.internal.CronSchedule;
import io.bullpen.scheduler.internal.EverySchedule;
import io.bullpen.scheduler.internal.Runs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Job schedulers in BullMQ 6's layout (spec §6.7): upsert, read, remove, trigger, and the next iteration a worker
 * creates when it starts the current one. The time arithmetic is queue-scheduler's ({@link Runs},
 * {@link EverySchedule}, {@link CronSchedule}); it runs here, on the state read just before, and each script
 * checks that this state is still current (else it is read again), so races between upserts and workers leave
 * exactly one job per slot.
 */
public final class JobSchedulerStore {
  private static final long STALE = -100;
  private static final long PATTERN_ID_TAKEN = -10;
  private static final long EVERY_SLOTS_TAKEN = -11;
  private static final int MAX_ATTEMPTS = 50;
  private static final LoadingCache<String, CronSchedule> PATTERNS =
      Caffeine.newBuilder().maximumSize(1_000).build(CronSchedule::parse);

  private final QueueKeys keys;
  private final QueueScripts scripts;
  private final Clock clock;
  private final List<String> scriptKeys;

  /** A job scheduler as stored: its id, the millis of its current iteration, and its hash. */
  public record Stored(String id, long next, Map<String, String> fields) {}

  /** A job a script wrote: its id and hash. */
  public record Written(String jobId, Map<String, String> fields) {}

  public JobSchedulerStore(QueueKeys keys, ScriptRunner runner, long timeoutMillis, Clock clock) {
    this.keys = keys;
    this.scripts = new QueueScripts(keys, runner, timeoutMillis);
    this.clock = clock;
    this.scriptKeys = List.of(keys.repeat(), keys.waitList(), keys.active(), keys.prioritized(),
        keys.priorityCounter(), keys.delayed(), keys.meta(), keys.events(), keys.marker(), keys.idCounter());
  }

  /**
   * Creates or replaces scheduler {@code id}; the call answers its next iteration. Everything the definition alone
   * decides is checked here, before anything is sent.
   *
   * @param template the options of every run, merged with the queue's defaults already
   */
  public Call<Written> upsert(String id, Repeat repeat, String name, String dataJson, JobOptions template) {
    validateId(id);
    StoredText.requireWellFormed("template.name", name);
    if (id.indexOf(':') >= 0) {
      throw new InvalidOptionException("schedulerId", id, "must not contain ':' (it is part of each run's job id)");
    }
    if (repeat == null) {
      throw new InvalidOptionException("repeat", null, "is required");
    }
    if (template.jobId().isPresent()) {
      throw new InvalidOptionException("template.options.jobId", template.jobId().get(),
          "cannot be set: every run gets the id repeat:<scheduler id>:<run time>");
    }
    if (template.delay() > 0) {
      throw new InvalidOptionException("template.options.delay", template.delay(),
          "cannot be set: the schedule decides when each run starts");
    }
    long now = clock.millis();
    Long startDate = repeat.startDate().map(Instant::toEpochMilli).orElse(null);
    Long endDate = repeat.endDate().map(Instant::toEpochMilli).orElse(null);
    if (endDate != null && endDate <= now) {
      throw new InvalidOptionException("endDate", repeat.endDate().get(), "must be in the future");
    }
    long userOffset = repeat.offset().orElse(0);
    OptionalLong firstPatternRun = OptionalLong.empty();
    if (repeat.pattern().isPresent()) {
      String pattern = repeat.pattern().get();
      firstPatternRun = Runs.firstPatternRun(PATTERNS.get(pattern), repeat.tz().orElse(null), now, startDate,
          endDate, repeat.immediately());
      if (firstPatternRun.isEmpty()) {
        throw endDate == null
            ? new InvalidOptionException("pattern", pattern, "never matches a date")
            : new InvalidOptionException("endDate", repeat.endDate().get(), "comes before the first run of " + pattern);
      }
      checkDue(firstPatternRun.getAsLong(), repeat);
    } else {
      long first = EverySchedule.first(now, repeat.every().getAsLong(), userOffset, startDate).millis();
      checkEnd(first, endDate, repeat);
      checkDue(first, repeat);
    }
    ObjectNode templateOpts = OptionsCodec.toJson(template);
    if (!template.hasAttempts()) {
      // As BullMQ: the first run's opts carry attempts only when given; later runs carry 0 by default.
      templateOpts.remove("attempts");
    }
    Upsert upsert = new Upsert(id, repeat, name, dataJson, template, templateOpts, now, startDate, endDate,
        userOffset, firstPatternRun);
    return scripts.longCall("upsertJobScheduler", () -> {
      AtomicReference<Written> written = new AtomicReference<>();
      AtomicInteger attempts = new AtomicInteger();
      return AsyncLoop.whileTrue(() -> {
        int attempt = attempts.getAndIncrement();
        if (attempt >= MAX_ATTEMPTS) {
          throw new BullpenException("job scheduler " + id + " of queue " + keys.queueName()
              + " changed under " + MAX_ATTEMPTS + " upserts in a row; try again");
        }
        // A short random pause before reading again, so racing upserts of one scheduler do not collide in step.
        CompletableFuture<Object> pause = attempt == 0 ? CompletableFuture.completedFuture(null)
            : CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                ThreadLocalRandom.current().nextInt(1 + Math.min(attempt, 20)), TimeUnit.MILLISECONDS));
        return pause.thenCompose(paused -> tryUpsert(upsert)).thenApply(result -> {
          result.ifPresent(written::set);
          return result.isEmpty();
        });
      }).thenApply(done -> written.get());
    });
  }

  /** What one upsert call sends, apart from the state it reads before each attempt. */
  private record Upsert(String id, Repeat repeat, String name, String dataJson, JobOptions template,
      ObjectNode templateOpts, long now, Long startDate, Long endDate, long userOffset, OptionalLong firstPatternRun) {}

  /** One attempt: reads the scheduler's slot, then writes if it is unchanged; empty when it changed meanwhile. */
  private CompletableFuture<Optional<Written>> tryUpsert(Upsert u) {
    RedisFuture<Double> scoreReply = scripts.commands().zscore(keys.repeat(), u.id());
    RedisFuture<String> everyReply = scripts.commands().hget(keys.jobScheduler(u.id()), "every");
    return scoreReply.toCompletableFuture().thenCombine(everyReply, (score, storedEvery) -> {
      long next;
      boolean keepSlot = false;
      String offsetIfNew;
      if (u.repeat().pattern().isPresent()) {
        next = u.firstPatternRun().getAsLong();
        offsetIfNew = "0";
      } else {
        long every = u.repeat().every().getAsLong();
        boolean sameEvery = score != null && Long.toString(every).equals(storedEvery);
        EverySchedule.Slot slot = sameEvery
            ? EverySchedule.after(score.longValue(), every, u.now(), u.userOffset())
            : EverySchedule.first(u.now(), every, u.userOffset(), u.startDate());
        keepSlot = sameEvery;
        next = slot.millis();
        offsetIfNew = Long.toString(slot.offset());
        checkEnd(next, u.endDate(), u.repeat());
        checkDue(next, u.repeat());
      }
      String expectedScore = u.repeat().pattern().isPresent() ? "*" : score == null ? "" : millis(score);
      List<String> args = new ArrayList<>(List.of(keys.keyPrefix(), u.id(), expectedScore,
          Long.toString(next), keepSlot ? "1" : "0",
          u.repeat().every().isPresent() ? Long.toString(u.repeat().every().getAsLong()) : "", Long.toString(u.now()),
          u.dataJson(), u.templateOpts().isEmpty() ? "" : u.templateOpts().toString(),
          SchedulerRecords.firstRunOpts(u.id(), u.repeat(), u.templateOpts(), u.now(), next, u.startDate(),
              u.endDate()).toString(),
          Integer.toString(u.template().priority()), u.template().lifo() ? "1" : "0", offsetIfNew,
          u.userOffset() > 0 ? Long.toString(u.userOffset()) : ""));
      args.addAll(SchedulerRecords.definition(u.name(), u.repeat(), u.startDate(), u.endDate()));
      long slot = next;
      return scripts.run(Script.UPSERT_JOB_SCHEDULER, scriptKeys, args).thenApply(reply -> {
        if (reply instanceof Long code) {
          if (code == STALE) {
            return Optional.<Written>empty();
          }
          throw collision(u.id(), code, slot);
        }
        List<Object> entry = QueueScripts.list(reply, "upsertJobScheduler");
        return Optional.of(new Written(String.valueOf(entry.get(0)),
            RedisJob.fieldsFromFlatList(entry.subList(2, entry.size()))));
      });
    }).thenCompose(written -> written);
  }

  /** The run at {@code next} must be due by the latest time the delayed set orders exactly. */
  private static void checkDue(long next, Repeat repeat) {
    if (next > TimeLimits.MAX_EPOCH_MILLIS) {
      String field = repeat.pattern().isPresent() ? "pattern" : "every";
      Object value = repeat.pattern().isPresent() ? repeat.pattern().get() : repeat.every().getAsLong() + " ms";
      throw new InvalidOptionException(field, value, "first runs at " + Instant.ofEpochMilli(next) + ", after "
          + TimeLimits.MAX_INSTANT + ", the latest due time the delayed set orders exactly");
    }
  }

  private static void checkEnd(long next, Long endDate, Repeat repeat) {
    if (endDate != null && next > endDate) {
      throw new InvalidOptionException("endDate", repeat.endDate().get(), "comes before the first run");
    }
  }

  /** The scheduler, if it exists. */
  public Call<Optional<Stored>> get(String id) {
    validateId(id);
    return scripts.call("getJobScheduler", () -> read(id, 0, 0, true))
        .map(found -> found.isEmpty() ? Optional.<Stored>empty() : Optional.of(found.get(0)));
  }

  /** A page of the schedulers ordered by next run ({@code end} inclusive, -1 for the last). */
  public Call<List<Stored>> list(long start, long end, boolean ascending) {
    return scripts.call("getJobSchedulers", () -> read("", start, end, ascending));
  }

  public Call<Long> count() {
    return scripts.call("getJobSchedulersCount", () -> scripts.commands().zcard(keys.repeat()));
  }

  /** Deletes the scheduler and its iteration if delayed; false when there was none. */
  public Call<Boolean> remove(String id) {
    validateId(id);
    return scripts.call("removeJobScheduler", () -> scripts.run(Script.REMOVE_JOB_SCHEDULER,
        List.of(keys.repeat(), keys.delayed(), keys.events()), List.of(keys.keyPrefix(), id)))
        .map(reply -> QueueScripts.number(reply, "removeJobScheduler") == 1);
  }

  /** Adds a run of the scheduler's template right now, outside its schedule; empty when there is no scheduler. */
  public Call<Optional<Written>> trigger(String id) {
    validateId(id);
    return scripts.call("triggerJobScheduler", () -> scripts.run(Script.TRIGGER_JOB_SCHEDULER, scriptKeys,
        List.of(keys.keyPrefix(), id, Long.toString(clock.millis())))).map(reply -> {
          if (reply instanceof Long) {
            return Optional.<Written>empty();
          }
          List<Object> entry = QueueScripts.list(reply, "triggerJobScheduler");
          return Optional.of(new Written(String.valueOf(entry.get(0)),
              RedisJob.fieldsFromFlatList(entry.subList(1, entry.size()))));
        });
  }

  /** Removes a delayed job that has not come due; false when it is not delayed (any more) or does not exist. */
  public Call<Boolean> cancelDelayed(String jobId) {
    QueueKeys.requireJobId("jobId", jobId);
    return scripts.call("cancelDelayed", () -> scripts.run(Script.REMOVE_DELAYED_JOB, List.of(keys.delayed(),
        keys.events(), keys.meta(), keys.jobKey(jobId)),
        List.of(keys.keyPrefix(), jobId, Long.toString(clock.millis())))).map(reply -> {
          long code = QueueScripts.number(reply, "removeDelayedJob");
          if (code == ScriptErrors.SCHEDULER_ITERATION) {
            throw ScriptErrors.toException(code, keys.queueName(), jobId, "cancelDelayed");
          }
          return code == 1;
        });
  }

  /**
   * Creates the iteration after {@code job}, which a worker is starting, when {@code job} is its scheduler's
   * current iteration (BullMQ's workers do the same, so either kind keeps a schedule going). Returns the new
   * iteration's id; empty when the job is not a current iteration, the schedule is over, or another worker
   * created it already.
   */
  public Optional<String> addNextIteration(Job job) {
    Optional<String> schedulerId = job.repeatJobKey();
    if (schedulerId.isEmpty() || !job.id().startsWith("repeat:" + schedulerId.get() + ":")) {
      return Optional.empty();
    }
    String id = schedulerId.get();
    JsonNode parsed = Json.tree(job.optionsJson(), "opts of job " + job.id());
    ObjectNode opts = parsed.isObject() ? (ObjectNode) parsed : Json.MAPPER.createObjectNode();
    ObjectNode repeat = opts.get("repeat") instanceof ObjectNode r ? r : Json.MAPPER.createObjectNode();
    for (int attempt = 0; attempt < 3; attempt++) {
      RedisFuture<Double> scoreReply = scripts.commands().zscore(keys.repeat(), id);
      RedisFuture<List<KeyValue<String, String>>> hashReply = scripts.commands().hmget(
          keys.jobScheduler(id), "every", "offset", "pattern", "tz", "limit", "startDate", "endDate");
      Double score = await(scoreReply, "ZSCORE repeat");
      Map<String, String> stored = new HashMap<>();
      for (KeyValue<String, String> kv : await(hashReply, "HMGET repeat:" + id)) {
        if (kv.hasValue()) {
          stored.put(kv.getKey(), kv.getValue());
        }
      }
      if (score == null || !job.id().equals("repeat:" + id + ":" + millis(score))) {
        return Optional.empty();
      }
      long now = clock.millis();
      int count = repeat.path("count").asInt(0);
      Long limit = SchedulerRecords.longOf(repeat.get("limit"), stored.get("limit"));
      Long endDate = SchedulerRecords.longOf(repeat.get("endDate"), stored.get("endDate"));
      Long startDate = SchedulerRecords.longOf(repeat.get("startDate"), stored.get("startDate"));
      if (Runs.finished(count, limit == null ? null : limit.intValue(), endDate, now)) {
        return Optional.empty();
      }
      Long every = SchedulerRecords.longOf(null, stored.get("every"));
      every = every != null ? every : SchedulerRecords.longOf(repeat.get("every"), null);
      long next;
      if (every != null && every > 0) {
        Long offset = SchedulerRecords.longOf(null, stored.get("offset"));
        offset = offset != null ? offset : SchedulerRecords.longOf(repeat.get("offset"), null);
        next = EverySchedule.after(score.longValue(), every, now, offset == null ? 0 : offset).millis();
        if (endDate != null && next > endDate) {
          return Optional.empty();
        }
      } else {
        String pattern = repeat.hasNonNull("pattern") ? repeat.get("pattern").asText() : stored.get("pattern");
        if (pattern == null) {
          return Optional.empty();
        }
        String tz = repeat.hasNonNull("tz") ? repeat.get("tz").asText() : stored.get("tz");
        OptionalLong run = Runs.nextPatternRun(PATTERNS.get(pattern), tz, now, opts.path("prevMillis").asLong(0),
            startDate, endDate);
        if (run.isEmpty()) {
          return Optional.empty();
        }
        next = run.getAsLong();
      }
      ObjectNode nextOpts = SchedulerRecords.nextRunOpts(opts, repeat, id, count, every != null && every > 0, now, next);
      Object reply = await(scripts.run(Script.ADD_NEXT_SCHEDULER_ITERATION, scriptKeys, List.of(keys.keyPrefix(), id,
          job.id(), Long.toString(next), Long.toString(now), stored.getOrDefault("every", ""),
          stored.getOrDefault("offset", ""), nextOpts.toString(), Integer.toString(nextOpts.path("priority").asInt(0)),
          nextOpts.path("lifo").asBoolean(false) ? "1" : "0")), "addNextSchedulerIteration");
      if (reply instanceof Long code) {
        if (code == STALE) {
          continue;
        }
        return Optional.empty();
      }
      return Optional.of(String.valueOf(reply));
    }
    return Optional.empty();
  }

  private CompletableFuture<List<Stored>> read(String id, long start, long end, boolean ascending) {
    return scripts.run(Script.GET_JOB_SCHEDULERS, List.of(keys.repeat()),
        List.of(id, Long.toString(start), Long.toString(end), ascending ? "1" : "0")).thenApply(reply -> {
          List<Stored> result = new ArrayList<>();
          for (Object item : QueueScripts.list(reply, "getJobSchedulers")) {
            List<Object> entry = QueueScripts.list(item, "getJobSchedulers");
            long next = (long) Double.parseDouble(String.valueOf(entry.get(1)));
            result.add(new Stored(String.valueOf(entry.get(0)), next,
                RedisJob.fieldsFromFlatList(entry.subList(2, entry.size()))));
          }
          return result;
        });
  }

  private <T> T await(CompletionStage<T> reply, String what) {
    return RedisCalls.await(reply, scripts.timeoutMillis(), what + " on queue " + keys.queueName());
  }

  private BullpenException collision(String id, long code, long next) {
    String jobId = "repeat:" + id + ":" + next;
    if (code == PATTERN_ID_TAKEN) {
      return new JobStateException(keys.queueName(), jobId,
          "exists already and has started, so job scheduler " + id + " cannot take its slot");
    }
    if (code == EVERY_SLOTS_TAKEN) {
      return new JobStateException(keys.queueName(), jobId,
          "and the 31 slots after it are taken by existing jobs, so job scheduler " + id + " has no free slot");
    }
    return new BullpenException("upsertJobScheduler returned code " + code + " for scheduler " + id);
  }

  /** A whole-millisecond score as Redis prints it. */
  private static String millis(double score) {
    return Long.toString((long) score);
  }

  static void validateId(String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidOptionException("schedulerId", id, "must be a non-empty string");
    }
    StoredText.requireWellFormed("schedulerId", id);
  }
}
